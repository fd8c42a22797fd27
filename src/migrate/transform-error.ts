/** A transform failed on a value: the row is rejected with this reason. */
export class TransformError extends Error {}
