import { hasRole } from '../common/auth-user';
import { Role } from '../common/vocabulary';
import type { WebUser } from './web-user';

/**
 * Who may open the workbench's prisoner page, and so find a prisoner from the header: the API lets
 * listeners and administrators read a profile too, but the workbench gives them no prisoner page
 * (a listener works from the call; an administrator manages staff), so they get no search box.
 */
export const PRISONER_PAGE_ROLES: Role[] = ['POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER'];

/** Whether the header shows this user the prisoner search. */
export const maySearchPrisoners = (user: WebUser | undefined): boolean =>
  !!user && hasRole(user, ...PRISONER_PAGE_ROLES);

interface NavItem {
  href: string;
  text: string;
  roles: Role[];
}

/** The service navigation, by role: each user sees the pages of their job. */
const NAVIGATION: NavItem[] = [
  { href: '/my-work', text: 'My work', roles: ['LISTENER'] },
  { href: '/caseload', text: 'My caseload', roles: ['POM'] },
  { href: '/escalations', text: 'Escalations', roles: ['POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER'] },
  { href: '/disclosures', text: 'Disclosures', roles: ['POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER'] },
  { href: '/backlog', text: 'Backlog', roles: ['HEAD_OF_OMU', 'SECURITY_MANAGER'] },
  { href: '/queue', text: 'Queue', roles: ['HEAD_OF_OMU', 'SECURITY_MANAGER'] },
  { href: '/irmm', text: 'IRMM', roles: ['HEAD_OF_OMU', 'SECURITY_MANAGER'] },
  { href: '/plan-staffing', text: 'Plan staffing', roles: ['HEAD_OF_OMU'] },
  { href: '/risk-flags', text: 'Risk flags', roles: ['HEAD_OF_OMU', 'SECURITY_MANAGER'] },
  { href: '/authorisations', text: 'Authorisations', roles: ['HEAD_OF_OMU', 'SECURITY_MANAGER'] },
  {
    href: '/monitoring-decisions',
    text: 'Monitoring decisions',
    roles: ['HEAD_OF_OMU', 'SECURITY_MANAGER'],
  },
  { href: '/privileged-numbers', text: 'Privileged numbers', roles: ['SECURITY_MANAGER'] },
  { href: '/audit', text: 'Audit', roles: ['SECURITY_MANAGER'] },
  { href: '/duty-rota', text: 'Duty rota', roles: ['SECURITY_MANAGER'] },
  { href: '/staff', text: 'Staff', roles: ['ADMIN'] },
];

export function navigationFor(user: WebUser | undefined, currentPath: string) {
  if (!user) return [];
  return NAVIGATION.filter((item) => hasRole(user, ...item.roles)).map((item) => ({
    href: item.href,
    text: item.text,
    active: currentPath === item.href || currentPath.startsWith(`${item.href}/`),
  }));
}
