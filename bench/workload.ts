import type { LoopbackSts } from '../loopbackSts';
import { Row, ratio } from './report';

/** What the runner hands every workload. */
export interface Bench {
  /** The loopback STS server; see resetSts in bench/stsSetup.ts. */
  sts: LoopbackSts;
  /** The environment for child processes: the same AWS setup as this one. */
  childEnv: NodeJS.ProcessEnv;
  /** Where bench/compile.ts put the plain-JS compile of src/ and child.ts. */
  buildDir: string;
  /** The package's root, whose dist/ `npm run build` wrote. */
  root: string;
}

/**
 * A target as the report prints it, and whether a figure of ours meets it
 * (undefined: the figure is only reported).
 */
export interface Target<T> {
  text: string;
  met(ours: T, original: T): boolean | undefined;
}

/** One scenario of the report: its rows share the number in column `#`. */
export interface Workload {
  /** The number in the report's first column. */
  id: string;
  /** One line: what the workload does (printed as progress). */
  title: string;
  /** Every target a row of this workload may be judged by. */
  targets: ReadonlyArray<Target<never>>;
  run(bench: Bench): Promise<Row[]>;
}

/** For costs: lower is better, and the original's figure is the bar. */
export const atMostOriginal: Target<number> = {
  text: '≤ original',
  met: (ours, original) => ours <= original,
};

/** For rates: higher is better, and the original's figure is the bar. */
export const atLeastOriginal: Target<number> = {
  text: '≥ original',
  met: (ours, original) => ours >= original,
};

/**
 * One row: ours and the original's results, shown with `show`, judged by
 * `target`, and with a ratio if `quantity` gives a number to divide.
 */
export function compare<T>(
  what: string,
  target: Target<T>,
  results: { ours: T; original: T },
  show: (result: T) => string,
  quantity?: (result: T) => number,
): Row {
  const { ours, original } = results;
  return {
    what,
    ours: show(ours),
    original: show(original),
    ratio: quantity ? ratio(quantity(ours), quantity(original)) : '–',
    target: target.text,
    met: target.met(ours, original),
  };
}
