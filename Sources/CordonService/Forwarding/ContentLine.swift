import CordonCore

/// The one line of Chinese an operator on the receiving platform reads (docs/forwarding.md,
/// `content`): what happened, to whom, where, when. Names as docs/alarms.md gives them.
enum ContentLine {
    static let kindNames: [ViolationKind: String] = [
        .restrictedZone: "闯入限制区域", .overcrowding: "超员", .understaffed: "在岗人数不足", .overstay: "超时滞留",
        .loneWorker: "单人作业", .crowding: "人员聚集", .manDown: "人员倒地", .sos: "一键求救", .fall: "跌倒", .tamper: "防拆报警",
        .tagOffline: "标签离线", .lowBattery: "低电量", .untracked: "无定位", .noEntryRecord: "无入场记录", .unknownTag: "未登记标签",
        .accessDenied: "门禁拒绝", .tailgating: "尾随进入", .antiPassback: "防潜回", .routeDeviation: "偏离路线", .speeding: "超速",
        .illegalStop: "违规停车", .forbiddenArea: "禁行区域", .lateArrival: "未按时到达", .parkingFull: "停车场满",
        .positioningDegraded: "定位质量下降", .storeFailing: "存储故障", .forwardingFailed: "转发失败",
    ]
    static let subjectKinds = ["person": "人员", "vehicle": "车辆", "tag": "标签", "zone": "区域", "service": "系统"]

    /// `【闯入限制区域·告警】人员 P0042（E03）@ 储罐区 Tank farm 1，2026-12-07T10:45:48.251Z`
    static func line(_ v: Violation, step: String, names: Bool, acknowledgedBy: String? = nil) -> String {
        let what = kindNames[v.kind] ?? v.kind.rawValue
        let stepText = switch step {
        case "raised": "告警"
        case "cleared": "解除"
        default: "已确认"
        }
        var who = (subjectKinds[v.subject.kind] ?? v.subject.kind) + " " + v.subject.id
        if names, let n = v.subject.name, !n.isEmpty, v.subject.kind != "zone" { who += " " + n }
        if let e = v.subject.enterprise { who += "（\(e)）" }
        var line = "【\(what)·\(stepText)】\(who)"
        if let z = v.zoneName ?? v.zoneID, v.subject.kind != "zone" { line += " @ \(z)" }
        if let by = acknowledgedBy { line += "，确认人 \(by)" }
        return line + "，\(v.time.rfc3339)"
    }
}
