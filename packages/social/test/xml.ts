/**
 * A strict-enough XML well-formedness check for the posters (no parser in the dependencies):
 * balanced tags, quoted attributes, only the five entities or character references, no raw `<`
 * or `&` in text, and one root element.
 */
export function wellFormedXml(xml: string): void {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, "");
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  const entity = /^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/;
  const checkText = (text: string) => {
    for (let k = text.indexOf("&"); k >= 0; k = text.indexOf("&", k + 1)) {
      if (!entity.test(text.slice(k))) throw new Error(`bad entity at ${text.slice(k, k + 10)}`);
    }
    for (const ch of text) {
      const c = ch.codePointAt(0) ?? 0;
      if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) throw new Error("control character");
    }
  };
  while (i < body.length) {
    const lt = body.indexOf("<", i);
    const text = lt < 0 ? body.slice(i) : body.slice(i, lt);
    checkText(text);
    if (stack.length === 0 && text.trim()) throw new Error("text outside the root element");
    if (lt < 0) break;
    const gt = body.indexOf(">", lt);
    if (gt < 0) throw new Error("unclosed tag");
    const tag = body.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith("/")) {
      const name = tag.slice(1).trim();
      if (stack.pop() !== name) throw new Error(`mismatched </${name}>`);
      continue;
    }
    const m = tag.match(/^([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)$/);
    if (!m) throw new Error(`malformed tag <${tag}>`);
    checkText(m[2] ?? "");
    if (stack.length === 0) roots++;
    if (!m[3]) stack.push(m[1] as string);
  }
  if (stack.length) throw new Error(`unclosed <${stack.at(-1)}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}
