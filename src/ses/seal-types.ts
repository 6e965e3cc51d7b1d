/**
 * @module ses/seal-types
 * eseal's seal type codes for SES_ESPropertyInfo.type. GB/T 38540 leaves the codes to the business
 * (real files use 3, 4, 6, 15, ...); these are eseal's and are documented in docs/seals.md.
 */
import type { SealType } from './appearance/spec.js';

export const SEAL_TYPE_CODES: Record<SealType, number> = {
  official: 1, // 公章 / 单位印章
  finance: 2, // 财务专用章
  invoice: 3, // 发票专用章
  contract: 4, // 合同专用章
  'legal-rep': 5, // 法定代表人名章
  personal: 6, // 个人名章
};

export const SEAL_TYPE_NAMES_ZH: Record<SealType, string> = {
  official: '公章',
  finance: '财务专用章',
  invoice: '发票专用章',
  contract: '合同专用章',
  'legal-rep': '法定代表人名章',
  personal: '个人名章',
};

export function sealTypeOfCode(code: number): SealType | undefined {
  return (Object.keys(SEAL_TYPE_CODES) as SealType[]).find((t) => SEAL_TYPE_CODES[t] === code);
}
