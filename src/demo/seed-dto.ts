import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateOrReject, ValidationError } from 'class-validator';
import { AuthUser } from '../common/auth-user';
import { flattenValidationErrors } from '../common/validation';
import { DemoStaff } from './demo-world';

/** A DTO instance built and checked as the HTTP validation pipe would (defaults applied). */
export async function dto<T extends object>(cls: ClassConstructor<T>, body: object, what: string) {
  const instance = plainToInstance(cls, body);
  try {
    await validateOrReject(instance, { whitelist: true, forbidNonWhitelisted: true });
  } catch (err) {
    const details = Array.isArray(err) ? flattenValidationErrors(err as ValidationError[]) : [];
    throw new Error(
      `${what} is not valid: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`,
    );
  }
  return instance;
}

/** The signed-in user a member of the demo staff would be. */
export function actorFor(s: DemoStaff): AuthUser {
  return { username: s.username, roles: s.roles, establishments: s.establishments };
}
