import { Router } from 'express';
import { isNational } from '../common/auth-user';
import { Role } from '../common/vocabulary';
import { webUser, type WebUser } from './web-user';

interface WorkLink {
  href: string;
  text: string;
  description: string;
}

/** A role's own work: where its start page is, and what the start page of several roles lists. */
interface RoleWork {
  role: Role;
  heading: string;
  /** The page a user with only this role lands on. */
  start: string;
  links: WorkLink[];
}

/** Each role's work, in the order a start page of several roles lists them. */
export const ROLE_WORK: readonly RoleWork[] = [
  {
    role: 'LISTENER',
    heading: 'Listening',
    start: '/my-work',
    links: [
      {
        href: '/my-work',
        text: 'My work',
        description: 'Take the next call, listen to it and log it.',
      },
    ],
  },
  {
    role: 'POM',
    heading: 'Offender management (POM)',
    start: '/caseload',
    links: [
      {
        href: '/caseload',
        text: 'My caseload',
        description: 'The prisoners you are the POM for, with the logs you have not read.',
      },
      {
        href: '/escalations',
        text: 'Escalations',
        description: 'What listeners have escalated to you: acknowledge it and close it.',
      },
    ],
  },
  {
    role: 'HEAD_OF_OMU',
    heading: 'Head of offender management',
    start: '/backlog',
    links: [
      {
        href: '/backlog',
        text: 'Backlog',
        description: 'Calls waiting to be heard, by tier and age, and the staffing forecast.',
      },
      { href: '/irmm', text: 'IRMM', description: 'The agenda of the next meeting.' },
      {
        href: '/authorisations/reviews',
        text: 'Reviews due',
        description: 'Monitoring authorisations due for review, the most overdue first.',
      },
    ],
  },
  {
    role: 'SECURITY_MANAGER',
    heading: 'Security',
    start: '/authorisations',
    links: [
      {
        href: '/authorisations',
        text: 'Authorisations',
        description: 'Monitoring requests waiting for a decision, and every authorisation.',
      },
      {
        href: '/privileged-numbers',
        text: 'Privileged numbers',
        description: 'Numbers whose calls are never listened to.',
      },
      { href: '/audit', text: 'Audit', description: 'Who read or changed what, and when.' },
    ],
  },
  {
    role: 'ADMIN',
    heading: 'Administration',
    start: '/staff',
    links: [
      {
        href: '/staff',
        text: 'Staff',
        description: 'The staff accounts, their roles and establishments; switch one off or on.',
      },
    ],
  },
];

/** The work of the user's roles, in ROLE_WORK's order. */
export function workOf(user: WebUser): RoleWork[] {
  return ROLE_WORK.filter((w) => user.roles.includes(w.role));
}

/**
 * The start page (`/`, also where every error page's "Go to the start page" leads): a user with one
 * role is sent to that role's own work; a user with several gets a page linking each role's work;
 * an administrator starts on Staff, and is told what is still done through the API.
 */
export function homeRoutes(): Router {
  const router = Router();

  router.get('/', (req, res) => {
    const user = webUser(req);
    const work = workOf(user);
    const isAdmin = user.roles.includes('ADMIN');
    // The pages of one establishment's work need one: a user at none would be sent to a refusal.
    const noEstablishment = !user.activeEstablishment && !isNational(user);
    if (work.length === 1 && !noEstablishment) return res.redirect(work[0].start);
    return res.render('pages/home', { work, isAdmin, noEstablishment });
  });

  return router;
}
