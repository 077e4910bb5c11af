import type { RouteGroup } from "@pindah/migrator";

interface Gate {
  held: boolean;
  inflight: number;
  wake: Set<() => void>;
}

/**
 * Per route group: is it held, and how many of its requests are in flight. A held group
 * admits nothing new; waiting requests are admitted when it is released, or give up at
 * their deadline. `onIdle` tells when a held group has nothing left in flight.
 */
export function createGates(groups: readonly RouteGroup[], onIdle: (g: RouteGroup) => void) {
  const gates = new Map<RouteGroup, Gate>(groups.map((g) => [g, { held: false, inflight: 0, wake: new Set() }]));
  const gate = (g: RouteGroup) => gates.get(g) as Gate;

  return {
    state: (g: RouteGroup) => ({ held: gate(g).held, inflight: gate(g).inflight, waiting: gate(g).wake.size }),

    /** Resolves true once admitted (the caller must call `done`), false if `deadline` passed first. */
    async admit(g: RouteGroup, deadline: number): Promise<boolean> {
      const s = gate(g);
      while (s.held) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            s.wake.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, left);
          s.wake.add(wake);
        });
      }
      s.inflight++;
      return true;
    },

    done(g: RouteGroup) {
      const s = gate(g);
      s.inflight--;
      if (s.held && s.inflight === 0) onIdle(g);
    },

    setHeld(g: RouteGroup, held: boolean) {
      const s = gate(g);
      s.held = held;
      if (!held) for (const wake of [...s.wake]) wake();
    },
  };
}
export type Gates = ReturnType<typeof createGates>;
