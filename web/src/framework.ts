// A DPS's assessment framework (GET /api/v1/dps/{code} → assessment): its domains, each with its
// standards, fetched once per DPS and shared by the compliance and provider assessment screens.
import { api } from './api';

export interface Domain { code: string; name: string; standards: { code: string; name: string }[] }

const frameworks = new Map<string, Promise<Domain[]>>();

export function framework(dps: string): Promise<Domain[]> {
  let f = frameworks.get(dps);
  if (!f) {
    f = api<{ assessment: { domains: Domain[] } }>('GET', `/dps/${encodeURIComponent(dps)}`).then((d) => d.assessment.domains);
    f.catch(() => frameworks.delete(dps));
    frameworks.set(dps, f);
  }
  return f;
}

/// A 1..4 score chooser; '' = not chosen (or, when validating, unchanged).
export function scoreOptions(empty: string): [string, string][] {
  return [['', empty], ['1', '1'], ['2', '2'], ['3', '3'], ['4', '4']];
}
