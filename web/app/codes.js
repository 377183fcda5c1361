// The codes the UI names instead of writing bare numbers: case states as deployed platforms report
// them (docs/domain.md §4; the server's enum case_state in src/cases/cases.h, GET /api/v1/cases
// returns them in `state`). What a viewer may do with a case is not derived here: the case detail
// carries the server's list (`actions`, docs/api.md "Cases").
export const CASE_STATE = Object.freeze({
  DRAFT: 0,
  SUBMITTED: 1, // 已接件
  WITHDRAWN: 2, // 已撤件
  ACCEPTED: 3, // 已受理
  REFUSED: 5, // 不予受理
  CORRECTING: 6, // 补正中
  CORRECTED: 7, // 补正结束
  SUSPENDED: 9, // 特别程序中
  DONE_APPROVED: 11, // 办结（准予）
  DONE_DENIED: 13, // 办结（不予）
});

// 办结: the decided states (the server's case_state_decided).
export const isDecided = (state) => state === CASE_STATE.DONE_APPROVED || state === CASE_STATE.DONE_DENIED;
