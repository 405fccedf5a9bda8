/** Errors shared by the adapters and the pipeline. This folder sits below both and imports neither. */
export * from './aws-error-kinds';
export * from './transient-error';
