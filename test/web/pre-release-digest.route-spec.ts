import { PreReleaseDigestService } from '../../src/reports/digest.service';
import { startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';
import { errorSummaryLinks, WebClient } from './web-client';

/** Every page of the workbench has one h1. */
const oneHeading = (html: string) => expect(html.match(/<h1[ >]/g)).toHaveLength(1);
const DAY_MS = 86_400_000;
const dayFromNow = (days: number) =>
  new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

/** The London date parts of an instant, as the date inputs take them. */
function londonParts(at: Date) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return { day: part('day'), month: part('month'), year: part('year') };
}

describe('web: the pre-release digest and the disclosures register', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  async function world() {
    const s = await Scenario.create(api);
    const pom = await s.staff(['POM']);
    const otherPom = await s.staff(['POM']);
    const head = await s.staff(['HEAD_OF_OMU']);
    const security = await s.staff(['SECURITY_MANAGER']);
    const listener = await s.staff(['LISTENER']);
    const prisoner = await s.prisoner({
      firstName: 'Dan',
      lastName: 'Handover',
      pomUsername: pom.username,
      com: { name: 'Sam Okafor', email: 'sam.okafor@justice.gov.uk' },
      handoverDate: dayFromNow(0),
    });
    return { s, pom, otherPom, head, security, listener, prisoner };
  }

  it('links the digest from the prisoner page and the caseload when due; shows the draft, print and PDF', async () => {
    const { pom, prisoner } = await world();
    await api.app.get(PreReleaseDigestService).markDigestsDue();
    const web = new WebClient(api);
    await web.signIn(pom);

    const page = await web.get(`/prisoners/${prisoner}`);
    expect(page.text).toContain(`href="/prisoners/${prisoner}/pre-release-digest"`);
    expect(page.text).toContain('data-qa="digest-due"');
    const caseload = await web.get('/caseload');
    expect(caseload.text).toContain(`data-qa="digest-due-${prisoner}"`);
    expect(caseload.text).toContain('href="/disclosures"');

    const draft = await web.get(`/prisoners/${prisoner}/pre-release-digest`);
    expect(draft.status).toBe(200);
    oneHeading(draft.text);
    expect(draft.text).toContain('Pre-release digest for the COM');
    expect(draft.text).toContain('data-qa="digest-due"');
    expect(draft.text).toContain('>In brief</h2>');
    expect(draft.text).toContain('>Threats (verbatim)</h2>');
    expect(draft.text).toContain('Sam Okafor');
    expect(draft.text).toContain('data-qa="digest-sent-form"');
    // The POM by name beside the username: who produced the draft, who manages the prisoner.
    expect(draft.text).toContain(`by Test POM (${pom.username}); not yet sent`);
    expect(draft.text).toContain(`>Test POM (${pom.username})<`);
    // The form opens addressed to the COM on record.
    expect(draft.text).toContain('value="Sam Okafor &lt;sam.okafor@justice.gov.uk&gt;"');

    const print = await web.get(`/prisoners/${prisoner}/pre-release-digest/print`);
    expect(print.status).toBe(200);
    expect(print.headers['content-security-policy']).toContain("default-src 'none'");
    expect(print.text).toContain('<html lang="en-GB">');
    const pdf = await web.agent
      .get(`/prisoners/${prisoner}/pre-release-digest/pdf`)
      .buffer(true)
      .parse((res: unknown, done: (err: Error | null, body: Buffer) => void) => {
        const stream = res as NodeJS.ReadableStream;
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
  });

  it('"Mark as sent" names every error, then records the disclosure and shows it in the register', async () => {
    const { pom, head, security, prisoner } = await world();
    const web = new WebClient(api);
    await web.signIn(pom);
    await web.get(`/prisoners/${prisoner}/pre-release-digest`);

    const bad = await web.post(`/prisoners/${prisoner}/pre-release-digest/sent`, {
      analysis: '  ',
      to: '',
      'sentOn-day': '30',
      'sentOn-month': '2',
      'sentOn-year': '2026',
      time: '10:00',
    });
    expect(bad.status).toBe(400);
    expect(errorSummaryLinks(bad.text)).toEqual(['#analysis', '#to', '#sentOn-day']);
    expect(bad.text).toContain('Enter who the digest was sent to');
    expect(bad.text).toContain('Enter your analysis of what monitoring heard');

    const tomorrow = londonParts(new Date(Date.now() + 2 * DAY_MS));
    const future = await web.post(`/prisoners/${prisoner}/pre-release-digest/sent`, {
      analysis: 'He minimises the risk.',
      to: 'Sam Okafor',
      'sentOn-day': tomorrow.day,
      'sentOn-month': tomorrow.month,
      'sentOn-year': tomorrow.year,
      time: '10:00',
    });
    expect(future.status).toBe(400);
    expect(errorSummaryLinks(future.text)).toEqual(['#sentOn-day']);
    expect(future.text).toContain('The date and time sent must be now or in the past');

    const yesterday = londonParts(new Date(Date.now() - DAY_MS));
    const done = await web.post(`/prisoners/${prisoner}/pre-release-digest/sent`, {
      analysis: 'He minimises the risk.\n\nPlan the victim’s safety before release.',
      to: 'Sam Okafor <sam.okafor@justice.gov.uk>',
      'sentOn-day': yesterday.day,
      'sentOn-month': yesterday.month,
      'sentOn-year': yesterday.year,
      time: '10:00',
    });
    expect(done.status).toBe(302);
    const location = String(done.headers.location);
    expect(location).toMatch(/^\/disclosures\/[0-9a-f-]{36}$/);
    const asSent = await web.get(location);
    expect(asSent.status).toBe(200);
    oneHeading(asSent.text);
    expect(asSent.text).toContain('Digest recorded as sent');
    expect(asSent.text).toContain(`The pre-release digest of Handover, Dan (${prisoner}) is in`);
    expect(asSent.text).toContain('>The POM’s analysis</h2>');
    expect(asSent.text).toContain('Plan the victim’s safety before release.');
    expect(asSent.text).toContain('data-qa="content-hash"');
    // Who sent it, by name (the username beside it), on the page and the printable page.
    expect(asSent.text).toContain(`by Test POM (${pom.username})`);
    expect(asSent.text).not.toMatch(new RegExp(`by ${pom.username}\\b`));
    const printed = await web.get(`${location}/print`);
    expect(printed.status).toBe(200);
    expect(printed.text).toContain(`by Test POM (${pom.username})`);
    expect(asSent.text).not.toContain('data-qa="digest-sent-form"');

    // The register, for the POM, a head of OMU and a security manager.
    for (const who of [pom, head, security]) {
      const reader = who === pom ? web : new WebClient(api);
      if (who !== pom) await reader.signIn(who);
      const register = await reader.get('/disclosures');
      expect(register.status).toBe(200);
      oneHeading(register.text);
      expect(register.text).toContain('Disclosures register');
      expect(register.text).toContain(`href="${location}"`);
      expect(register.text).toContain('Sam Okafor &lt;sam.okafor@justice.gov.uk&gt;');
      // Sent by the POM: by name for the others, the username beside it.
      expect(register.text).toContain(who === pom ? '>Test POM<' : `>Test POM (${pom.username})<`);
    }
  });

  it('shows the GOV.UK 403 page to another POM and a listener, and 404 for an unknown prisoner', async () => {
    const { pom, otherPom, listener, prisoner } = await world();
    const other = new WebClient(api);
    await other.signIn(otherPom);
    const refused = await other.get(`/prisoners/${prisoner}/pre-release-digest`);
    expect(refused.status).toBe(403);
    expect((await other.get(`/prisoners/${prisoner}`)).text).not.toContain(
      `href="/prisoners/${prisoner}/pre-release-digest"`,
    );
    expect((await other.get(`/prisoners/${prisoner}/pre-release-digest/pdf`)).status).toBe(403);

    const listening = new WebClient(api);
    await listening.signIn(listener);
    expect((await listening.get(`/prisoners/${prisoner}/pre-release-digest`)).status).toBe(403);
    expect((await listening.get('/disclosures')).status).toBe(403);

    const own = new WebClient(api);
    await own.signIn(pom);
    expect((await own.get('/prisoners/Z9999ZZ/pre-release-digest')).status).toBe(404);
  });
});
