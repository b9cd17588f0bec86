import { startApi, TestApi } from '../support/api';
import { Scenario } from '../support/scenario';
import { WebClient } from './web-client';

/** The footer's two links, with every page's footer pointing at them. */
const FOOTER_LINKS = [
  /<a class="govuk-footer__link" href="\/accessibility"\s+data-qa="footer-accessibility">\s*Accessibility statement\s*<\/a>/,
  /<a class="govuk-footer__link" href="\/privacy"\s+data-qa="footer-privacy">\s*Privacy notice\s*<\/a>/,
];

describe('web: the accessibility statement and the privacy notice', () => {
  let api: TestApi;
  let s: Scenario;

  beforeAll(async () => {
    api = await startApi();
    s = await Scenario.create(api);
  });

  afterAll(async () => {
    await api.close();
  });

  it('both open without signing in, in the GOV.UK template, linked from the footer', async () => {
    const web = new WebClient(api);
    const accessibility = await web.get('/accessibility');
    expect(accessibility.status).toBe(200);
    expect(accessibility.text).toContain('data-qa="accessibility-heading"');
    expect(accessibility.text).toContain('<title>Accessibility statement – ');
    expect(accessibility.text).toContain('partially compliant');
    expect(accessibility.text).toContain('375 pixels');
    expect(accessibility.text).not.toContain('data-qa="user-bar"');

    const privacy = await web.get('/privacy');
    expect(privacy.status).toBe(200);
    expect(privacy.text).toContain('data-qa="privacy-heading"');
    expect(privacy.text).toContain('<title>Privacy notice – ');
    // Honest about what it is: intercepted communications, who they are about, for how long.
    expect(privacy.text).toContain('intercepted communications');
    expect(privacy.text).toContain('the people prisoners speak to');
    expect(privacy.text).toContain('at most 90 days');
    expect(privacy.text).toContain('data-qa="privacy-review"');

    for (const page of [accessibility, privacy, await web.get('/sign-in')]) {
      for (const link of FOOTER_LINKS) expect(page.text).toMatch(link);
    }
    // The footer and the header are govuk-frontend 6's landmarks.
    expect(privacy.text).toContain('<header class="govuk-template__header"');
    expect(privacy.text).toContain('<footer class="govuk-template__footer"');
  });

  it('signed in, the same pages show the header of the signed-in user, and every page links them', async () => {
    const listener = await s.staff(['LISTENER']);
    const web = new WebClient(api);
    await web.signIn(listener);
    const privacy = await web.get('/privacy');
    expect(privacy.status).toBe(200);
    expect(privacy.text).toContain('data-qa="user-bar"');
    const myWork = await web.get('/my-work');
    for (const link of FOOTER_LINKS) expect(myWork.text).toMatch(link);
    const missing = await web.get('/no-such-page');
    expect(missing.status).toBe(404);
    for (const link of FOOTER_LINKS) expect(missing.text).toMatch(link);
  });

  it('serves MoJ Frontend from this site, its stylesheet, script and icons', async () => {
    const web = new WebClient(api);
    const page = await web.get('/sign-in');
    expect(page.text).toContain('<link rel="stylesheet" href="/assets/moj/moj-frontend.min.css">');
    expect(page.text).toContain('<script type="module" src="/assets/moj/moj-frontend.min.js">');
    await web.agent
      .get('/assets/moj/moj-frontend.min.css')
      .expect(200)
      .expect('content-type', /css/);
    await web.agent
      .get('/assets/moj/moj-frontend.min.js')
      .expect(200)
      .expect('content-type', /javascript/);
    await web.agent.get('/assets/images/icon-tag-remove-cross.svg').expect(200);
    await web.agent.get('/assets/app/app.css').expect(200);
  });
});
