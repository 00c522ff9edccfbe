// The person behind a package as the server releases them: their details, or why they cannot be
// shown — erased under UK GDPR, or the council's sealed copy cannot be opened (its key is missing
// from this server, or the sealed bytes fail their integrity check). The officer's package view and
// the provider's accepted award both show it this way.
import { fact, h } from './dom';

const WHY_NOT_SHOWN: Record<string, string> = {
  erased: 'The person\'s details were erased at their request (UK GDPR): they are held nowhere any more. Delete any copy you keep.',
  key_missing: 'The person\'s details cannot be opened: their key is not on this server (was it restored without its key store?). Ask the council\'s administrator.',
  tampered: 'The person\'s details failed their integrity check, so they are not shown. Ask the council\'s administrator.',
};

/// The box naming the person, or saying why they cannot be named. `person` is the server's
/// `person` object or PersonDetails message; one without a status (an older server) is available.
export function personBox(person: any): HTMLElement {
  const status: string = person.status || 'available';
  const box = h('div', { class: `person person-${status}`, 'data-person-status': status }, h('h4', {}, 'The person'));
  if (status === 'available')
    box.append(h('dl', { class: 'facts' }, ...fact('Name', person.name), ...fact('Address', person.address),
      ...fact('Postcode', person.postcode), ...fact('Case reference', person.case_reference || '—')));
  else
    box.append(h('p', { role: 'status' }, WHY_NOT_SHOWN[status] ?? `The person's details cannot be shown (${status}).`));
  return box;
}
