import type { Lsn } from "./lsn.js";

/**
 * A decoder of pgoutput, protocol version 1 (the payload of each XLogData message, or a row of
 * `pg_logical_slot_get_binary_changes`), straight into the streamer's own shapes. It runs once
 * per row change of every source transaction, so it allocates only what the rows need: one
 * string per value, the row object, the change. Formats: PostgreSQL's "Logical Replication
 * Message Formats"; values arrive as text (no `binary` option), as COPY would print them.
 */

/**
 * A row as PostgreSQL prints it (the text form COPY uses too). It inherits nothing: its
 * prototype is an empty object without a prototype, so a column named `constructor` or
 * `__proto__` is just a column.
 */
export type Row = Record<string, string | null>;

export interface Change {
  schema: string;
  table: string;
  op: "insert" | "update" | "delete";
  /** The new row; for a delete, the old row (REPLICA IDENTITY FULL) or just the key. */
  row: Row;
  /** The old key (or old row with REPLICA IDENTITY FULL) of an update or delete; null for an insert. */
  oldKey: Row | null;
}

export interface LogicalMessage {
  prefix: string;
  content: string;
  transactional: boolean;
  lsn: Lsn;
}

export interface Relation {
  oid: number;
  schema: string;
  name: string;
  /** Column names in the order tuples carry their values. */
  columns: string[];
  /** Positions of the replica identity columns: all a key tuple ('K') holds. */
  keys: number[];
  /** `name:typeOid:typeMod` of every column: two Relation messages of one table that differ mean DDL. */
  shape: string;
  /** Builds a row from the values in column order. */
  row: RowMaker;
  /** Builds the key-only row of a key tuple from all its values. */
  key: RowMaker;
}

type RowMaker = (values: readonly (string | null | undefined)[]) => Row;

const NOTHING: object = Object.freeze(Object.create(null));
/**
 * A constructor per relation with one plain assignment per column: its rows share one hidden
 * class and are built about four times faster than by assigning names in a loop, and far
 * faster than `Object.create(null)` dictionaries; reads of them in a transform stay
 * monomorphic. Column names enter the code only as JSON string literals.
 */
function rowMaker(columns: readonly string[], from: readonly number[]): RowMaker {
  const body = columns.map((c, i) => `this[${JSON.stringify(c)}] = v[${from[i]}];`).join("\n");
  const Ctor = new Function("v", body) as unknown as { new (v: readonly unknown[]): Row; prototype: object };
  Ctor.prototype = NOTHING;
  return (v) => new Ctor(v);
}

/** What the decoder found; the streamer decides what each means for the stream. */
export interface PgoutputHandler {
  begin(xid: number, commitLsn: Lsn, commitTimeUs: bigint): void;
  commit(commitLsn: Lsn, endLsn: Lsn): void;
  relation(r: Relation): void;
  change(c: Change): void;
  /**
   * A change with an unchanged TOAST value ('u') that no old row in the message fills in (an
   * update without REPLICA IDENTITY FULL): applying it as it stands would write NULL.
   */
  unchangedToast(r: Relation, op: Change["op"]): void;
  truncate(relations: Relation[]): void;
  message(m: LogicalMessage): void;
}

// (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY: pgoutput times count from 2000-01-01.
const PG_EPOCH_US = 946_684_800_000_000n;
const hex = (n: number) => n.toString(16).toUpperCase();
/** A big-endian int32 without `readInt32BE`'s checks (the caller bounds it by the message). */
const int32 = (b: Buffer, p: number) =>
  ((b[p] as number) << 24) | ((b[p + 1] as number) << 16) | ((b[p + 2] as number) << 8) | (b[p + 3] as number);

/** Decodes one pgoutput message at a time; keeps the relations the server described. */
export class PgoutputDecoder {
  private readonly relations = new Map<number, Relation>();
  private buf: Buffer = Buffer.alloc(0);
  private p = 0;
  /** Where the message being decoded ends: what lies past it is the next one. */
  private end = 0;
  /** Set by `tupleValues()` when a 'u' value had nothing to fill it. */
  private toastMissing = false;
  /** One tuple's values, reused: the row constructors copy them out. */
  private readonly values: (string | null | undefined)[] = [];
  /** Where each value of the tuple being read starts and ends (-1: null, -2: unchanged TOAST). */
  private spans = new Int32Array(64);

  constructor(private readonly on: PgoutputHandler) {}

  /** Decodes the message in `buf` from `start` to `end`; the buffer is not kept afterwards. */
  decode(buf: Buffer, start = 0, end = buf.length): void {
    this.buf = buf;
    this.end = end;
    this.p = start + 1;
    this.toastMissing = false;
    const tag = buf[start];
    switch (tag) {
      case 0x49 /* I */:
        this.insert();
        break;
      case 0x55 /* U */:
        this.update();
        break;
      case 0x44 /* D */:
        this.remove();
        break;
      case 0x42 /* B */:
        this.begin();
        break;
      case 0x43 /* C */:
        this.commit();
        break;
      case 0x52 /* R */:
        this.relation();
        break;
      case 0x54 /* T */:
        this.truncate();
        break;
      case 0x4d /* M */:
        this.message();
        break;
      case 0x59 /* Y */: // a type's name: values are text, their types are not needed
      case 0x4f /* O */: // the origin of a transaction replicated from elsewhere: not needed
        break;
      default:
        throw new Error(`unknown pgoutput message ${String.fromCharCode(tag ?? 0)} (0x${hex(tag ?? 0)})`);
    }
  }

  private u8(): number {
    return this.buf[this.p++] as number;
  }
  private u16(): number {
    const v = this.buf.readUInt16BE(this.p);
    this.p += 2;
    return v;
  }
  private u32(): number {
    const v = this.buf.readUInt32BE(this.p);
    this.p += 4;
    return v;
  }
  private i32(): number {
    const v = this.buf.readInt32BE(this.p);
    this.p += 4;
    return v;
  }
  /** As PostgreSQL prints a pg_lsn ("16/B374D848"): what `formatLsn` gives. */
  private lsn(): Lsn {
    const hi = this.u32();
    return `${hex(hi)}/${hex(this.u32())}`;
  }
  private time(): bigint {
    const v = this.buf.readBigInt64BE(this.p);
    this.p += 8;
    return v + PG_EPOCH_US;
  }
  private cstring(): string {
    const end = this.buf.indexOf(0, this.p);
    if (end < 0 || end >= this.end) throw new Error("pgoutput: a string runs past the end of its message");
    const s = this.buf.toString("utf8", this.p, end);
    this.p = end + 1;
    return s;
  }

  private begin(): void {
    const commitLsn = this.lsn();
    const time = this.time();
    this.on.begin(this.u32(), commitLsn, time);
  }

  private commit(): void {
    this.p += 1; // flags, unused
    const commitLsn = this.lsn();
    this.on.commit(commitLsn, this.lsn()); // the commit time follows; Begin had it
  }

  private relationOf(oid: number): Relation {
    const r = this.relations.get(oid);
    if (!r) throw new Error(`pgoutput: a change of relation ${oid} before its Relation message`);
    return r;
  }

  private relation(): void {
    const oid = this.u32();
    const schema = this.cstring();
    const name = this.cstring();
    this.p += 1; // replica identity setting; the tuples themselves say what they carry
    const n = this.u16();
    const columns: string[] = [];
    const keys: number[] = [];
    const shape: string[] = [];
    for (let i = 0; i < n; i++) {
      const flags = this.u8();
      const column = this.cstring();
      const type = this.u32();
      const mod = this.i32();
      columns.push(column);
      if (flags & 1) keys.push(i);
      shape.push(`${column}:${type}:${mod}`);
    }
    const keyColumns = keys.map((i) => columns[i] as string);
    const all = columns.map((_, i) => i);
    const r: Relation = {
      oid,
      schema,
      name,
      columns,
      keys,
      shape: shape.join(","),
      row: rowMaker(columns, all),
      key: rowMaker(keyColumns, keys),
    };
    this.relations.set(oid, r);
    this.on.relation(r);
  }

  /**
   * One TupleData: its values into `this.values`. `old` fills unchanged TOAST values ('u') of a
   * new row from the old row; a 'u' with nothing to fill it sets `toastMissing`. When every
   * value is ASCII (the usual case) one string is made of all their bytes and each value is a
   * piece of it: a Buffer's toString per value costs far more than the copy itself.
   */
  private tupleValues(r: Relation, old: Row | null): readonly (string | null | undefined)[] {
    const buf = this.buf;
    const n = this.u16();
    if (n !== r.columns.length) {
      throw new Error(`pgoutput: a tuple of ${n} values for ${r.schema}.${r.name}'s ${r.columns.length} columns`);
    }
    const values = this.values;
    if (this.spans.length < 2 * n) this.spans = new Int32Array(4 * n);
    const spans = this.spans;
    let p = this.p;
    let bits = 0; // every text byte OR'ed: below 0x80 means all ASCII
    for (let i = 0; i < n; i++) {
      const kind = buf[p++];
      if (kind === 0x74 /* t */) {
        const len = int32(buf, p);
        p += 4;
        if (len < 0 || p + len > this.end) {
          throw new Error(`pgoutput: a tuple of ${r.schema}.${r.name} runs past the end of its message`);
        }
        const start = p;
        p += len;
        spans[2 * i] = start;
        spans[2 * i + 1] = p;
        for (let j = start; j < p; j++) bits |= buf[j] as number;
      } else if (kind === 0x6e /* n */) {
        spans[2 * i] = -1;
      } else if (kind === 0x75 /* u */) {
        spans[2 * i] = -2;
      } else {
        throw new Error(`pgoutput: unknown value kind ${String.fromCharCode(kind ?? 0)} in ${r.schema}.${r.name}`);
      }
    }
    const from = this.p;
    const text = bits < 0x80 ? buf.toString("latin1", from, p) : null;
    for (let i = 0; i < n; i++) {
      const start = spans[2 * i] as number;
      if (start >= 0) {
        const end = spans[2 * i + 1] as number;
        values[i] = text !== null ? text.slice(start - from, end - from) : buf.toString("utf8", start, end);
      } else if (start === -1) {
        values[i] = null;
      } else {
        const v = old?.[r.columns[i] as string];
        if (v === undefined) this.toastMissing = true;
        values[i] = v;
      }
    }
    this.p = p;
    return values;
  }

  private tuple(r: Relation, old: Row | null): Row {
    return r.row(this.tupleValues(r, old));
  }

  /** A key tuple ('K') holds every column, the non-key ones as nulls: keep the key columns only. */
  private keyTuple(r: Relation): Row {
    return r.key(this.tupleValues(r, null));
  }

  /** Hands a decoded change on, unless a value of it is an unchanged TOAST value it does not carry. */
  private emit(r: Relation, op: Change["op"], row: Row, oldKey: Row | null): void {
    if (this.toastMissing) {
      this.toastMissing = false;
      this.on.unchangedToast(r, op);
    } else this.on.change({ schema: r.schema, table: r.name, op, row, oldKey });
  }

  private part(what: string, expected: number): void {
    const kind = this.u8();
    if (kind !== expected) throw new Error(`pgoutput: unknown ${what} part ${String.fromCharCode(kind)}`);
  }

  private insert(): void {
    const r = this.relationOf(this.u32());
    this.part("insert", 0x4e /* N */);
    this.emit(r, "insert", this.tuple(r, null), null);
  }

  private update(): void {
    const r = this.relationOf(this.u32());
    const kind = this.u8();
    let oldKey: Row | null = null;
    let old: Row | null = null;
    if (kind === 0x4b /* K */) oldKey = this.keyTuple(r);
    else if (kind === 0x4f /* O */) oldKey = old = this.tuple(r, null);
    if (oldKey) this.part("update", 0x4e /* N */);
    else if (kind !== 0x4e /* N */) throw new Error(`pgoutput: unknown update part ${String.fromCharCode(kind)}`);
    this.emit(r, "update", this.tuple(r, old), oldKey);
  }

  private remove(): void {
    const r = this.relationOf(this.u32());
    const kind = this.u8();
    if (kind !== 0x4b /* K */ && kind !== 0x4f /* O */) {
      throw new Error(`pgoutput: unknown delete part ${String.fromCharCode(kind)}`);
    }
    const old = kind === 0x4b ? this.keyTuple(r) : this.tuple(r, null);
    this.emit(r, "delete", old, old);
  }

  private truncate(): void {
    const n = this.u32();
    this.p += 1; // options: CASCADE, RESTART IDENTITY
    const relations: Relation[] = [];
    for (let i = 0; i < n; i++) relations.push(this.relationOf(this.u32()));
    this.on.truncate(relations);
  }

  private message(): void {
    const transactional = (this.u8() & 1) === 1;
    const lsn = this.lsn();
    const prefix = this.cstring();
    const len = this.u32();
    if (this.p + len > this.end) throw new Error("pgoutput: a message's content runs past its end");
    const content = this.buf.toString("utf8", this.p, this.p + len);
    this.p += len;
    this.on.message({ prefix, content, transactional, lsn });
  }
}
