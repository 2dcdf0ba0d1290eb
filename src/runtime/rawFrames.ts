/**
 * A stall's frames before and after mapping (attribution.ts): the raw frames of a profile node's
 * ancestry or of a stack the probe took, and what the attributor makes of them.
 */
import type {
  Blame,
  CodeStallKind,
  LineSource,
  StackFrame,
  StallKind,
  StallPackage,
} from '../shared/protocol/runtime';
import { kindOfStack } from './operation';
import type { ProfileStore, StoreNode } from './profileStore';

/** A frame before mapping: 0-based generated position. */
export interface RawFrame {
  functionName: string;
  url: string;
  line0: number;
  col0: number;
  /** Profile node: the position is where the function is defined, not the executing line. */
  isDefinition: boolean;
  nodeId?: number;
}

export interface Attribution {
  stack: StackFrame[];
  blame?: Blame;
  /** Where the blamed line came from. */
  lineSource?: LineSource;
  /** The kind of this stack's shape (operation.ts): one cause, one kind. */
  kind?: CodeStallKind;
  operation?: string;
  /** The operation is a Node API, a V8 built-in or GC, not merely a function's name. */
  operationNamed?: boolean;
  package?: StallPackage;
}

/** The profile and stall window a stall is mapped in (a frame's own line ticks come from it). */
export interface StallWindow {
  store: ProfileStore;
  startUs: number;
  endUs: number;
}

export function nodeFrame(n: StoreNode): RawFrame {
  const cf = n.callFrame;
  return {
    functionName: cf.functionName,
    url: cf.url,
    line0: cf.lineNumber,
    col0: cf.columnNumber,
    isDefinition: true,
    nodeId: n.id,
  };
}

/** Kind of a probe's stack, by its shape (operation.ts), the same rules as the profile's. */
export function kindOfFrames(frames: RawFrame[]): StallKind {
  return kindOfStack(frames);
}
