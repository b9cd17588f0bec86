import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { assertEstablishment, AuthUser } from '../common/auth-user';
import { addDays, Clock, DAY_MS } from '../common/clock';
import { ValidationFailed } from '../common/errors';
import { EstablishmentsService } from '../establishments/establishments.service';
import { TriageService } from '../triage/triage.service';
import { PolicyResult, SimulatedCall, SimulationSettings, StaffingRow } from './model';
import { mergeSettings } from './prepare';
import { simulate } from './simulation';
import { SimulationRequestDto } from './simulation.dto';
import { SimulationRepository } from './simulation.repository';
import {
  ChosenHandling,
  handlingOf,
  historyPeriod,
  Period,
  planHours,
  policyRuns,
  RequestError,
  simulationSettingsOf,
  staffingOf,
  syntheticPeriod,
} from './simulation-request';
import { summarySentence } from './summary';
import { AVERAGE_PRISONERS, CALLS_PER_PRISONER_PER_DAY, syntheticCalls } from './synthetic-calls';

/** OBSERVED handling learns from the logs of this many days before the period ends. */
export const HANDLING_WINDOW_DAYS = 90;
/** An overloaded synthetic world makes at most this many times the generator's own calls… */
const MAX_RATE_FACTOR = 10;
/** …and at most about this many calls in all (monitored or not), to answer in seconds. */
const MAX_GENERATED_CALLS = 1_500_000;

export interface SimulationResponse {
  /** Calls that entered the queue (or waited for a translation). */
  calls: number;
  /** Calls of the period triage kept out of the queue (privileged, not covered now). */
  notQueued: number;
  /** Calls in a language no listener of the plan speaks: never heard (translation is not simulated). */
  awaitingTranslation: number;
  listenerHours: number;
  policies: Record<string, PolicyResult>;
  summary: string;
  /** What the simulation assumed beyond the request (a handling fallback, the synthetic world). */
  notes: string[];
}

interface Workload {
  calls: SimulatedCall[];
  notes: string[];
}

@Injectable()
export class SimulationService {
  constructor(
    private readonly establishments: EstablishmentsService,
    private readonly triage: TriageService,
    private readonly repository: SimulationRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Runs the request's policies over its calls and staffing plan (API.md, "Simulation"). */
  async run(actor: AuthUser, request: SimulationRequestDto): Promise<SimulationResponse> {
    const code = request.establishment;
    const establishment = await this.establishments.find(code);
    if (!establishment) throw ValidationFailed.field('establishment', `no establishment ${code}`);
    assertEstablishment(actor, code);
    const { staffing, period, runs } = this.plan(request);
    const settings = simulationSettingsOf(establishment.settings);
    const seed = request.source.seed ?? 1;
    const handling = handlingOf(
      request.handling,
      request.handling.kind === 'OBSERVED'
        ? await this.repository.handlingSeconds(
            code,
            addDays(period.to, -HANDLING_WINDOW_DAYS),
            period.to,
          )
        : [],
      seed,
    );
    const workload =
      request.source.kind === 'HISTORY'
        ? await this.history(code, period)
        : this.synthetic(request, code, period, staffing, handling, seed);
    const result = simulate({
      from: period.from,
      to: period.to,
      calls: workload.calls,
      staffing,
      handling: handling.model,
      settings,
      policies: runs,
    });
    await this.audit.record(actor, {
      action: 'SIMULATION_RUN',
      entityType: 'establishment',
      entityId: code,
      establishmentCode: code,
      details: {
        source: request.source.kind,
        from: period.from,
        to: period.to,
        calls: result.calls,
        policies: request.policies,
      },
    });
    const leadSettings: SimulationSettings = mergeSettings(
      settings,
      runs.find((r) => r.kind === 'CURRENT')?.settings,
    );
    return {
      calls: result.calls,
      notQueued: result.notQueued,
      awaitingTranslation: result.awaitingTranslation,
      listenerHours: result.listenerHours,
      policies: result.policies,
      summary: summarySentence(result.policies, leadSettings.slaHours),
      notes: [...(handling.note ? [handling.note] : []), ...workload.notes],
    };
  }

  /** The parts of the request that span fields, checked before anything is loaded. */
  private plan(request: SimulationRequestDto) {
    try {
      const source = request.source;
      const period =
        source.kind === 'HISTORY'
          ? historyPeriod(source.from!, source.to!)
          : syntheticPeriod(this.clock.now(), source.days!);
      return { staffing: staffingOf(request), period, runs: policyRuns(request) };
    } catch (error) {
      if (error instanceof RequestError)
        throw ValidationFailed.field(error.error.field, error.error.message);
      throw error;
    }
  }

  /** The establishment's calls that arrive in the period (made up to a day before it starts). */
  private async history(code: string, period: Period): Promise<Workload> {
    const rows = await this.triage.factsOfCallsMadeBetween(
      code,
      new Date(period.from.getTime() - DAY_MS),
      period.to,
    );
    return {
      calls: rows.map((r) => ({ id: r.id, durationSeconds: r.durationSeconds, facts: r.facts })),
      notes: [],
    };
  }

  /**
   * The demo world for this establishment. With `overload`, the call rate is set so that the
   * monitored calls would take `overload` times the plan's listener-hours at the mean handling time.
   */
  private synthetic(
    request: SimulationRequestDto,
    code: string,
    period: Period,
    staffing: readonly StaffingRow[],
    handling: ChosenHandling,
    seed: number,
  ): Workload {
    const source = request.source;
    const prisoners = Math.max(1, Math.round(AVERAGE_PRISONERS * (source.scale ?? 1)));
    const generate = (rate: number) =>
      syntheticCalls({
        establishments: [code],
        prisoners,
        to: period.to,
        days: period.days,
        seed,
        callsPerPrisonerPerDay: rate,
      });
    let rate = CALLS_PER_PRISONER_PER_DAY;
    let world = generate(rate);
    const notes: string[] = [];
    if (source.overload !== undefined && world.calls.length > 0) {
      const capacityCalls = (planHours(staffing, period) * 60) / handling.meanMinutes;
      const wanted =
        (CALLS_PER_PRISONER_PER_DAY * source.overload * capacityCalls) / world.calls.length;
      const limit = Math.min(
        CALLS_PER_PRISONER_PER_DAY * MAX_RATE_FACTOR,
        MAX_GENERATED_CALLS / (prisoners * period.days),
      );
      rate = Math.min(wanted, limit);
      world = generate(rate);
      if (wanted > limit)
        notes.push(
          `The overload asked for needs more calls than the simulator generates for one request: ` +
            `${rate.toFixed(2)} calls a prisoner a day instead of ${wanted.toFixed(2)}, so the overload is lower than asked.`,
        );
    }
    notes.push(
      `Synthetic: ${world.calls.length.toLocaleString('en-GB')} monitored calls of a prison of ` +
        `${prisoners.toLocaleString('en-GB')} prisoners, a tenth of them monitored ` +
        `(${rate.toFixed(2)} calls a prisoner a day, seed ${seed}).`,
    );
    return { calls: world.calls, notes };
  }
}
