import { Router, type Request, type Response } from 'express';
import { isNational } from '../../common/auth-user';
import { FieldError, Forbidden, ValidationFailed } from '../../common/errors';
import { canonicalPhoneNumber } from '../../common/phone-numbers';
import { PRIVILEGED_KINDS } from '../../common/vocabulary';
import { CreatePrivilegedNumberDto } from '../../prisoners/prisoners.dto';
import type { PrisonersService } from '../../prisoners/prisoners.service';
import { checkDto, fieldWording, type FormErrors, NO_ERRORS, text, toFormErrors } from '../forms';
import { handle, requireRole } from '../guards';
import { label } from '../labels';
import type { WebServices } from '../services';
import { webUser } from '../web-user';

interface PrivilegedValues {
  phoneNumber: string;
  organisation: string;
  kind: string;
  scope: string;
}

const PRIVILEGED_IDS: Record<string, string> = {
  phoneNumber: 'phoneNumber',
  organisation: 'organisation',
  kind: 'kind',
  scope: 'scope',
  establishmentCode: 'scope',
};

const PRIVILEGED_WORDS: Record<string, (raw: string) => string | undefined> = {
  phoneNumber: (raw) =>
    /should not be empty|must be a string/.test(raw)
      ? 'Enter the phone number'
      : /longer than/.test(raw)
        ? 'The phone number must be 30 characters or fewer'
        : /is not a phone number/.test(raw)
          ? 'Enter a phone number, like 020 7946 0000 or +44 20 7946 0000'
          : undefined,
  organisation: (raw) =>
    /longer than/.test(raw)
      ? 'The organisation must be 200 characters or fewer'
      : 'Enter the organisation',
  kind: () => 'Select the kind of number',
};

const PRIVILEGED_WORDING = fieldWording(PRIVILEGED_IDS, PRIVILEGED_WORDS);

/** The privileged-number directory of the user's establishment, and adding a number to it. */
export function privilegedNumberRoutes({ prisoners }: Pick<WebServices, 'prisoners'>): Router {
  const router = Router();

  async function renderPrivilegedNumbers(
    req: Request,
    res: Response,
    values: PrivilegedValues,
    errors: FormErrors = NO_ERRORS,
    status = 200,
  ) {
    const user = webUser(req);
    const { items } = await prisoners.listPrivilegedNumbers(user);
    const here = user.activeEstablishment;
    res.status(status).render('pages/security/privileged-numbers', {
      numbers: items.filter((n) => !n.establishmentCode || !here || n.establishmentCode === here),
      values,
      errorSummary: errors.summary,
      errorFor: errors.byId,
      kindItems: PRIVILEGED_KINDS.map((code) => ({
        value: code,
        text: label('privilegedKind', code),
        checked: values.kind === code,
      })),
      scopeItems: [
        {
          value: 'establishment',
          text: `This establishment only (${here ?? 'none'})`,
          checked: values.scope === 'establishment',
          disabled: !here,
        },
        {
          value: 'national',
          text: 'Every establishment (national)',
          hint: { text: 'Only an administrator may add a national number.' },
          checked: values.scope === 'national',
        },
      ],
    });
  }

  router.get(
    '/privileged-numbers',
    requireRole('SECURITY_MANAGER'),
    handle((req, res) =>
      renderPrivilegedNumbers(req, res, {
        phoneNumber: '',
        organisation: '',
        kind: '',
        scope: 'establishment',
      }),
    ),
  );

  router.post(
    '/privileged-numbers',
    requireRole('SECURITY_MANAGER'),
    handle(async (req, res) => {
      const user = webUser(req);
      const body = req.body as Record<string, unknown>;
      const values: PrivilegedValues = {
        phoneNumber: text(body.phoneNumber).trim(),
        organisation: text(body.organisation).trim(),
        kind: text(body.kind),
        scope: text(body.scope),
      };
      const invalid = (details: FieldError[]) =>
        renderPrivilegedNumbers(req, res, values, toFormErrors(details, PRIVILEGED_WORDING), 400);
      const { dto, errors } = await checkDto(CreatePrivilegedNumberDto, {
        phoneNumber: values.phoneNumber,
        organisation: values.organisation,
        kind: values.kind || undefined,
        establishmentCode:
          values.scope === 'establishment' ? (user.activeEstablishment ?? undefined) : undefined,
      });
      // The service's own checks, made here too so that every error of the form comes at once.
      const parsed = values.phoneNumber ? canonicalPhoneNumber(values.phoneNumber) : null;
      if (parsed && !parsed.ok && !errors.some((e) => e.field === 'phoneNumber')) {
        errors.push({ field: 'phoneNumber', message: parsed.reason });
      }
      if (values.scope !== 'establishment' && values.scope !== 'national') {
        errors.push({ field: 'scope', message: 'Select where the number is privileged' });
      } else if (values.scope === 'national' && !isNational(user)) {
        errors.push({
          field: 'scope',
          message:
            'Only an administrator may add a national privileged number: choose this establishment only',
        });
      } else if (parsed?.ok) {
        const scope = values.scope === 'establishment' ? user.activeEstablishment : null;
        const { items } = await prisoners.listPrivilegedNumbers(user);
        if (
          items.some(
            (n) => n.phoneNumber === parsed.e164 && (n.establishmentCode ?? null) === scope,
          )
        ) {
          errors.push({
            field: 'phoneNumber',
            message: `${parsed.e164} is already in the directory`,
          });
        }
      }
      if (errors.length) return invalid(errors);
      let added: Awaited<ReturnType<PrisonersService['addPrivilegedNumber']>>;
      try {
        added = await prisoners.addPrivilegedNumber(user, dto);
      } catch (err) {
        if (err instanceof ValidationFailed) return invalid(err.details);
        if (err instanceof Forbidden) return invalid([{ field: 'scope', message: err.message }]);
        throw err;
      }
      req.session.flash = {
        type: 'success',
        heading: `${String(added.phoneNumber)} is in the privileged-number directory`,
        text: 'Calls to it are not monitored.',
      };
      return res.redirect('/privileged-numbers');
    }),
  );

  return router;
}
