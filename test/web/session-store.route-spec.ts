import { startApi } from '../support/api';
import { WebSessionStore } from '../../src/web/web-session-store';
import { WebClient } from './web-client';

/**
 * The session store's pruning timer ends with the app. One left running pruned, minutes later,
 * through the closed app's ended pool: an error logged in the middle of another test file, which
 * Jest counts against the whole run ("Cannot log after tests are done").
 */
describe('web: the session store closes with the app', () => {
  it('prunes on a timer once sessions are used, and has no timer once the app has closed', async () => {
    const api = await startApi();
    // connect-pg-simple's own state, which its type declarations leave out.
    const store = api.app.get(WebSessionStore).store as unknown as {
      closed?: boolean;
      pruneTimer?: NodeJS.Timeout;
    };
    const web = new WebClient(api);
    await web.signIn({
      username: process.env.ADMIN_USERNAME!,
      password: process.env.ADMIN_PASSWORD!,
    });
    expect((await web.get('/staff')).status).toBe(200);
    expect(store.pruneTimer).toBeDefined();
    expect(store.closed).toBeFalsy();

    await api.close();

    expect(store.closed).toBe(true);
    expect(store.pruneTimer).toBeUndefined();
  });
});
