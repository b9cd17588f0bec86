import type { Request } from 'express';
import { AuthUser } from '../common/auth-user';

/** The signed-in user, kept in the session: who they are and which establishment they work in now. */
export interface WebUser extends AuthUser {
  displayName: string;
  /** The establishment the pages work in; null for a user with none (national roles). */
  activeEstablishment: string | null;
  establishmentNames: Record<string, string>;
}

/** What a submitted log raised, kept for the confirmation page after the redirect. */
export interface LoggedCall {
  callId: string;
  prisonNumber: string;
  concernLevel: string;
  escalations: {
    target: string;
    assignee: string | null;
    dueAt: string | null;
    created: boolean;
  }[];
}

declare module 'express-session' {
  interface SessionData {
    user?: WebUser;
    /** The last log submitted in this session, for its confirmation page. */
    lastLogged?: LoggedCall;
    /** A one-off message for the next page (GOV.UK notification banner). */
    flash?: { type: 'success' | 'information'; heading: string; text?: string };
  }
}

/** The signed-in user (the sign-in guard runs before every page that calls this). */
export function webUser(req: Request): WebUser {
  const user = req.session.user;
  if (!user) throw new Error('webUser used before the sign-in guard');
  return user;
}
