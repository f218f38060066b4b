export { FillDecimal, toFillDecimal } from './fill-decimal';
export type { DecimalInput } from './fill-decimal';
export * from './fill-model.types';
export * from './fees';
export * from './slippage';
export * from './market-fill';
export * from './limit-fill';
export * from './stop-fill';
