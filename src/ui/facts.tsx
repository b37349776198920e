import type { ReactNode } from 'react';

/** One labelled fact in a two-column table. */
export function Row({
  label,
  value,
  testId,
}: {
  label: string;
  value: ReactNode;
  testId?: string;
}) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td data-testid={testId}>{value}</td>
    </tr>
  );
}

export function Pending({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Checking {what}…
    </p>
  );
}
