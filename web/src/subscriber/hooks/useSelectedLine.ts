import { useSyncExternalStore } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Line, Plan } from '@telehall/contracts';
import { linesQuery } from '../../api/charging';

const KEY = 'telehall.line';
const listeners = new Set<() => void>();

function read(): string | null {
  return localStorage.getItem(KEY);
}

function subscribe(fn: () => void) {
  listeners.add(fn);
  const onStorage = (e: StorageEvent) => {
    if (e.key === KEY) fn();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(fn);
    window.removeEventListener('storage', onStorage);
  };
}

export function selectLine(id: string) {
  localStorage.setItem(KEY, id);
  for (const fn of listeners) fn();
}

/**
 * The subscriber's lines and the one the pages are about: the last one picked
 * on this device when it is still theirs, else the first.
 */
export function useSelectedLine() {
  const lines = useQuery(linesQuery());
  const saved = useSyncExternalStore(subscribe, read);
  const items = lines.data ?? [];
  const line: Line | undefined = items.find((l) => l.id === saved) ?? items[0];
  return { lines, items, line, select: selectLine };
}

/** A plan's name in the UI language. */
export function planName(plan: Pick<Plan, 'nameZh' | 'nameEn'>, language: string): string {
  return language === 'en' ? plan.nameEn : plan.nameZh;
}
