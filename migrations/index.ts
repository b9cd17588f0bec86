import { Foundation1764230400000 } from './1764230400000-Foundation';

/** Every migration in order. Listed by hand so that a migration is reviewed before it ships. */
export const ALL_MIGRATIONS = [Foundation1764230400000];
