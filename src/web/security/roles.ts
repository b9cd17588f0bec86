import type { Role } from '../../common/vocabulary';

/** Everyone who works at an establishment may ask for monitoring and see a decision (as the API). */
export const STAFF_ROLES: Role[] = ['LISTENER', 'POM', 'HEAD_OF_OMU', 'SECURITY_MANAGER'];
