/** Reference data the forms need (labels of every enumeration, districts, categories), loaded once per session. */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { get } from '../api/client.ts';
import type { Enums } from '../api/types.ts';

export interface District {
  code: string;
  name: string;
}
export interface Category {
  code: string;
  name: string;
  parentCode: string | null;
}

interface Reference {
  enums: Enums;
  districts: District[];
  categories: Category[];
  ready: boolean;
}
const empty: Reference = { enums: {}, districts: [], categories: [], ready: false };
const Ctx = createContext<Reference>(empty);

export function ReferenceProvider({ children }: { children: ReactNode }) {
  const [ref, setRef] = useState<Reference>(empty);
  useEffect(() => {
    let live = true;
    void Promise.all([
      get<Enums>('/api/reference/enums'),
      get<District[]>('/api/reference/districts'),
      get<Category[]>('/api/reference/categories').catch(() => [] as Category[]),
    ])
      .then(([enums, districts, categories]) => {
        if (live) setRef({ enums, districts, categories, ready: true });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return <Ctx.Provider value={ref}>{children}</Ctx.Provider>;
}

export const useReference = () => useContext(Ctx);

/** Options for an antd Select from an enumeration's labels. */
export function enumOptions(labels: Record<string, string> | undefined, only?: readonly string[]) {
  return Object.entries(labels ?? {})
    .filter(([k]) => !only || only.includes(k))
    .map(([value, label]) => ({ value, label }));
}
