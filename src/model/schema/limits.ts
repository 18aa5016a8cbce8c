/** Bounds on what a server's schema may make us generate; past them a part becomes `unknown`. */
export interface SchemaLimits {
  /** Nesting depth of subschemas. */
  readonly maxDepth: number;
  /** Properties of one object. */
  readonly maxProperties: number;
  /** Values of one enum. */
  readonly maxEnumValues: number;
  /** Characters of one property description. */
  readonly maxPropertyDescription: number;
}

export const DEFAULT_LIMITS: SchemaLimits = {
  maxDepth: 16,
  maxProperties: 500,
  maxEnumValues: 200,
  maxPropertyDescription: 600,
};
