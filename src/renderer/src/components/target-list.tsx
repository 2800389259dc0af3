// An ordered list of targets to edit, a row each: its place, a menu of targets, optional extras (a rule's
// weight), and buttons to move it up or down or remove it. The rule form and the budget form's cheaper
// targets both use it; each says how its rows are labelled and what a change does.
import type { ReactNode } from 'react';
import { optionsWith } from '../lib/routing-edit.ts';

export interface TargetListProps {
  targets: readonly string[];
  /** The targets the menus offer; a row keeps its own even when it is not among them. */
  options: readonly string[];
  /** Accessible names: the row's menu, and its move up / move down / remove buttons (n counts from 1). */
  label(what: 'target' | 'moveUp' | 'moveDown' | 'remove', n: number): string;
  /** The row's aria-invalid and aria-describedby, and its error text, by its index. */
  a11y(i: number): { 'aria-invalid'?: true; 'aria-describedby'?: string };
  errors(i: number): ReactNode;
  onSelect(i: number, target: string): void;
  onMove(i: number, delta: -1 | 1): void;
  onRemove(i: number): void;
  /** More of a row, after its menu. */
  extra?(i: number, n: number): ReactNode;
}

export function TargetList({ targets, options, label, a11y, errors, onSelect, onMove, onRemove, extra }: TargetListProps) {
  return (
    <ol className="target-list">
      {targets.map((target, i) => {
        const n = i + 1;
        return (
          <li key={i}>
            <div className="target-row">
              <span className="target-pos num" aria-hidden="true">{n}</span>
              <select aria-label={label('target', n)} value={target} onChange={(e) => onSelect(i, e.target.value)} {...a11y(i)}>
                {optionsWith(options, target).map((o) => <option key={o} value={o}>{o}</option>)}
              </select>
              {extra?.(i, n)}
              <span className="target-buttons">
                <button type="button" className="icon-btn" disabled={i === 0} aria-label={label('moveUp', n)} onClick={() => onMove(i, -1)}>↑</button>
                <button type="button" className="icon-btn" disabled={i === targets.length - 1} aria-label={label('moveDown', n)} onClick={() => onMove(i, 1)}>↓</button>
                <button type="button" className="icon-btn" aria-label={label('remove', n)} onClick={() => onRemove(i)}>×</button>
              </span>
            </div>
            {errors(i)}
          </li>
        );
      })}
    </ol>
  );
}
