import { Strategy } from 'passport';

/** The end of one authentication attempt of a Passport strategy. */
export type StrategyOutcome =
  | { readonly kind: 'success'; readonly user: unknown }
  | { readonly kind: 'fail'; readonly challenge: unknown }
  | { readonly kind: 'error'; readonly error: unknown };

/** The action methods Passport attaches to a strategy for one attempt. */
interface StrategyActions {
  success(user: unknown): void;
  fail(challenge?: unknown): void;
  error(error: unknown): void;
  pass(): void;
  redirect(url: string): void;
}

/**
 * Runs one authentication attempt of a Passport strategy the way `passport.authenticate`
 * does: on a per-attempt object derived from the strategy, with the action methods attached.
 * Calling the strategy directly keeps it out of Passport's process-wide registry, so two
 * module instances with different settings never replace each other's strategy.
 *
 * @param strategy the strategy instance
 * @param input what the strategy receives as its request argument
 */
export function runPassportStrategy(strategy: Strategy, input: object): Promise<StrategyOutcome> {
  return new Promise((resolve) => {
    const attempt = Object.create(strategy) as StrategyActions & { authenticate(input: object, options: object): void };
    attempt.success = (user) => resolve({ kind: 'success', user });
    attempt.fail = (challenge) => resolve({ kind: 'fail', challenge });
    attempt.error = (error) => resolve({ kind: 'error', error });
    attempt.pass = () => resolve({ kind: 'fail', challenge: undefined });
    attempt.redirect = () => resolve({ kind: 'fail', challenge: undefined });
    try {
      attempt.authenticate(input, { session: false });
    } catch (error) {
      resolve({ kind: 'error', error });
    }
  });
}
