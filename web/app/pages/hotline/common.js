// What the hotline pages (12345 市民诉求协同平台, docs/api.md "Hotline") share: the codes with their
// Chinese labels (the server also sends each label beside its code) and small components.
export const CHANNELS = {
  phone: '12345电话', mayor_mailbox: '市长信箱', web: '网上留言', wechat: '微建议', people_cn: '人民网留言',
  media: '媒体信箱', open311: 'Open311',
};
export const CATEGORIES = { consult: '咨询', help: '求助', complaint: '投诉', report: '举报', suggestion: '建议', praise: '表扬' };
export const ORDER_STATES = {
  pending: ['待派单', 'info'], dispatched: ['待签收', 'warning'], handling: ['办理中', 'primary'],
  returned: ['退单待审', 'danger'], replied: ['待审核', 'warning'], closed: ['已办结', 'success'],
  visited: ['已回访', 'success'], merged: ['已并单', 'info'],
};
export const SATISFACTION = { satisfied: '满意', basic: '基本满意', dissatisfied: '不满意' };
