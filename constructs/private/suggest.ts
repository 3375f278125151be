/** Moved to core/suggest.ts; kept so today's imports keep working. */
export * from '../../core/suggest';
