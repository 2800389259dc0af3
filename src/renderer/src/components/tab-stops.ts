// The controls inside an element that Tab visits, in the order it visits them (the panel sets no
// positive tabindex, so that is document order).

const CANDIDATES = 'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable]:not([contenteditable="false"])';

/** Tab stops under `root`: enabled, shown, not taken out by tabindex="-1"; one radio per group (the checked one, else the first). */
export function tabStops(root: HTMLElement): HTMLElement[] {
  const all = [...root.querySelectorAll<HTMLElement>(CANDIDATES)].filter((el) =>
    el.tabIndex >= 0 && !el.matches(':disabled') && !el.closest('[inert]') && el.getClientRects().length > 0
    && !(el instanceof HTMLInputElement && el.type === 'hidden'));
  return all.filter((el) => {
    if (!(el instanceof HTMLInputElement) || el.type !== 'radio' || !el.name) return true;
    const group = all.filter((r): r is HTMLInputElement => r instanceof HTMLInputElement && r.type === 'radio' && r.name === el.name && r.form === el.form);
    return el === (group.find((r) => r.checked) ?? group[0]);
  });
}
