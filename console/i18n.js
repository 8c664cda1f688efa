// Labels in zh-CN by default, English on a switch; names from the registry stay as they are.
const I18N = {
  zh: { title: "园区管控台", disconnected: "未连接", connected: "实时", reconnecting: "重连中…", floor: "楼层", allFloors: "全部",
    mute: "静音", unmute: "取消静音", alarms: "告警", people: "人员", muster: "应急点名", trucks: "危化车辆", replay: "轨迹回放",
    activeAlarms: "当前告警", yourName: "姓名", comment: "备注", acknowledge: "确认", cancel: "取消", acked: "已确认",
    presence: "在场人员", byEnterprise: "按企业", byZone: "按区域", noEntry: "无入场记录", untracked: "无定位",
    onSiteGate: "门禁记录在场", onSitePosition: "定位在场", employees: "员工", contractors: "承包商", vehicles: "车辆",
    startDrill: "开始演练", startEmergency: "紧急点名", endMuster: "结束点名", downloadCsv: "下载报告 (CSV)", noMuster: "未在点名",
    missing: "未到人员", markSafe: "标记安全", accounted: "已清点", total: "应到", elapsed: "用时", point: "集合点",
    bookings: "今日预约与行程", plate: "车牌", status: "状态", route: "路线", deadline: "距截止", stay: "停留", violations: "违规",
    subjectId: "人员编号或车牌", person: "人员", vehicle: "车辆", from: "从", until: "至", load: "加载", points: "个点",
    zone: "区域", count: "人数", limit: "上限", enterprise: "企业", ackNeedsName: "请填写姓名", drill: "演练", emergency: "紧急",
    none: "无", locate: "定位", notStored: "未存储", forwarding: "转发", backlog: "积压",
    storeFailing: "存储故障：规则照常运行，告警照常实时推送；存储恢复后按原时间补记。请尽快释放磁盘空间。" },
  en: { title: "Park control room", disconnected: "offline", connected: "live", reconnecting: "reconnecting…", floor: "Floor", allFloors: "all",
    mute: "Mute", unmute: "Unmute", alarms: "Alarms", people: "People", muster: "Muster", trucks: "Trucks", replay: "Replay",
    activeAlarms: "Active alarms", yourName: "Your name", comment: "Comment", acknowledge: "Acknowledge", cancel: "Cancel", acked: "acknowledged",
    presence: "On site", byEnterprise: "By enterprise", byZone: "By zone", noEntry: "No entry record", untracked: "Untracked",
    onSiteGate: "on site by gate record", onSitePosition: "on site by position", employees: "employees", contractors: "contractors", vehicles: "vehicles",
    startDrill: "Start drill", startEmergency: "Start emergency", endMuster: "End muster", downloadCsv: "Download report (CSV)", noMuster: "No muster running",
    missing: "Missing", markSafe: "Mark safe", accounted: "accounted", total: "total", elapsed: "elapsed", point: "Point",
    bookings: "Today's bookings and journeys", plate: "Plate", status: "Status", route: "Route", deadline: "To deadline", stay: "Stay", violations: "Violations",
    subjectId: "person id or plate", person: "person", vehicle: "vehicle", from: "From", until: "Until", load: "Load", points: "points",
    zone: "Zone", count: "People", limit: "Limit", enterprise: "Enterprise", ackNeedsName: "Enter your name", drill: "drill", emergency: "emergency",
    none: "none", locate: "Locate", notStored: "not yet stored", forwarding: "forwarding to", backlog: "behind by",
    storeFailing: "The store refuses writes: the rules still run and alarms still come in live; they are recorded with their own times once it recovers. Free disk space." },
};
// Alarm kinds as docs/alarms.md names them; the English is the protocol's own kind.
const KIND_ZH = {
  "restricted-zone": "闯入限制区域", overcrowding: "超员", understaffed: "在岗人数不足", overstay: "超时滞留",
  "lone-worker": "单人作业", crowding: "人员聚集", "man-down": "人员倒地", sos: "一键求救", fall: "跌倒", tamper: "防拆报警",
  "tag-offline": "标签离线", "low-battery": "低电量", "unknown-tag": "未登记标签", "positioning-degraded": "定位质量下降", "store-failing": "存储故障", "forwarding-failed": "转发失败",
  "access-denied": "拒绝通行", tailgating: "尾随", "anti-passback": "防反潜回", untracked: "无定位", "no-entry-record": "无入园记录",
  "route-deviation": "偏离路线", speeding: "超速", "illegal-stop": "违规停车", "forbidden-area": "禁行区域",
  "late-arrival": "未按时到达", "parking-full": "停车场满",
};
function kindLabel(k) { return (LANG === "zh" && KIND_ZH[k]) || k; }
let LANG = localStorage.getItem("cordon.lang") || "zh";
function t(k) { return (I18N[LANG] && I18N[LANG][k]) || I18N.en[k] || k; }
function applyI18n() {
  document.documentElement.lang = LANG === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-i18n]").forEach(e => { e.textContent = t(e.dataset.i18n); });
  document.querySelectorAll("[data-i18n-ph]").forEach(e => { e.placeholder = t(e.dataset.i18nPh); });
  document.getElementById("lang").textContent = LANG === "zh" ? "English" : "中文";
}
