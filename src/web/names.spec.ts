import * as nunjucks from 'nunjucks';
import { addNameGlobals, type PageNames } from './names';

describe('names on pages', () => {
  const env = new nunjucks.Environment([], { autoescape: true });
  addNameGlobals(env);
  const names: PageNames = {
    prisoners: new Map([['A1234BC', { firstName: 'Seán', lastName: "O'Brien <b>" }]]),
    staff: new Map([
      ['jsmith', 'Jane Smith'],
      ['me', 'My Own Name'],
    ]),
  };
  const user = { username: 'me', displayName: 'My Own Name' };
  const render = (template: string, ctx: object = {}) =>
    env.renderString(template, { user, names, ...ctx });

  it('names other staff with their username, the signed-in user by name alone, others as they were', () => {
    expect(render('{{ person("jsmith") }}')).toBe('Jane Smith (jsmith)');
    expect(render('{{ person("me") }}')).toBe('My Own Name');
    expect(render('{{ person("unknown") }}')).toBe('unknown');
    expect(render('{{ person(none) }}')).toBe('');
    expect(render('{{ staffName("jsmith") }}|{{ staffName("unknown") }}')).toBe('Jane Smith|');
    // A page that loaded no names keeps the usernames.
    expect(env.renderString('{{ person("jsmith") }}', { user })).toBe('jsmith');
  });

  it('names a prisoner "Last, First (number)", escaped, or leaves the number alone', () => {
    expect(render('{{ prisoner("A1234BC") }}')).toBe('O&#39;Brien &lt;b&gt;, Seán (A1234BC)');
    expect(render('{{ prisoner("Z9999ZZ") }}')).toBe('Z9999ZZ');
    expect(render('{{ prisonerName("Z9999ZZ") }}')).toBe('');
  });

  it('links the name to the prisoner, the number under it, escaping what the record holds', () => {
    expect(render('{{ prisonerLink("A1234BC", { qa: "queue-prisoner" }) }}')).toBe(
      '<a class="govuk-link" data-qa="queue-prisoner" href="/prisoners/A1234BC">O&#39;Brien &#60;b&#62;, Seán</a>' +
        '<br><span class="govuk-body-s">A1234BC</span>',
    );
    expect(render('{{ prisonerLink("Z9999ZZ") }}')).toBe(
      '<a class="govuk-link" href="/prisoners/Z9999ZZ">Z9999ZZ</a>',
    );
  });
});
