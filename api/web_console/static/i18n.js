// zh / en text of the console, keyed by id; reason and error codes stay as the API sends them.
export const TEXT = {
  zh: {
    title: "健康管理师工作台", nav_board: "实时看板", nav_review: "审核队列", logout: "退出",
    sign_in: "登录", username: "用户名", password: "密码", sound_on: "提示音：开", sound_off: "提示音：关",
    patient: "患者", risk: "风险", flags: "标记", last_message: "最新消息", waiting: "等待",
    unread: "未读", sort: "排序", sort_urgency: "按紧急程度", sort_waiting: "按等待时间", sort_recent: "按最近活动",
    live: "实时", offline: "连接中…", empty_board: "暂无对话", empty_queue: "没有待审核的回答",
    emergency: "急症", held_answer: "待审核", low_confidence: "低置信", consent_needed: "需授权",
    level_emergency: "急症", level_urgent: "24小时内就医", level_routine: "一周内就医", level_self_care: "自我护理", level_none: "—",
    alarm: "急症：患者 {who} 需要立即处理", open: "查看",
    question: "患者问题", draft: "待审回答草稿", reasons: "暂扣原因", reply: "回复内容",
    approve: "批准发送", edit: "修改后发送", reject: "拒绝并回复", decided_by: "已由 {who} 处理（{status}）",
    auditor_readonly: "审计员只读：不能处理条目", transcript: "对话记录", citations: "引用", tools: "工具调用",
    verdict: "审核结论", readings: "体征读数", tasks: "健康任务", consents: "授权", back: "返回看板",
    role_patient: "患者", role_assistant: "助手", role_manager: "健康管理师", role_system: "系统",
    seconds: "{n}秒", minutes: "{n}分钟", hours: "{n}小时", none: "无", error: "出错了",
    sent: "已发送", take_over: "接管对话", hand_back: "交还AI助手", send: "发送",
    manager_reply_hint: "以健康管理师身份回复患者", taken_over: "人工接管中",
    nav_alerts: "提醒", empty_alerts: "没有未处理的提醒", acknowledge: "确认", follow_up_task: "一键创建随访任务",
    task_created: "已创建随访任务", acknowledged_by: "已由 {who} 确认", alert_open: "未处理", alert_acknowledged: "已确认",
    alert_resolved: "已解决", task_glucose: "随访：复测血糖", task_bp: "随访：复测血压",
    decided: "已处理", label: "标注", root_cause: "根因", notes: "备注", save_label: "保存标注",
    labelled: "已标注（{cause}）", learning: "下次评测将包含 {n} 条已标注案例",
    cause_technical: "技术", cause_rule: "规则", cause_data: "数据",
    nav_quality: "质量", q_turns: "今日对话轮次", q_escalations: "急症升级", q_held: "暂扣回答", q_decided: "已处理",
    q_approval_rate: "原样批准率", q_median_decision: "决定用时中位数", q_turns_by_hour: "每小时轮次（UTC）", q_labels: "今日标注（按根因）",
    answer_verdict: "回答标注", label_this: "标注此回答…", verdict_correct: "正确", verdict_unsafe: "不安全", verdict_unsupported: "无依据",
    verdict_unhelpful: "答非所问", label_notes_hint: "备注（可选）", answer_labelled: "已标注：{verdict}（{who}）", choose_verdict: "请先选择标注",
    profile: "患者档案", profile_conditions: "已知疾病", profile_timezone: "时区", profile_region: "地区", profile_age: "年龄", profile_sex: "性别",
    profile_medications: "用药（名称）", kind_blood_pressure: "血压", kind_glucose: "血糖", kind_weight: "体重", kind_heart_rate: "心率", kind_spo2: "血氧",
    value_sbp: "收缩压", value_dbp: "舒张压", value_value: "数值", latest: "最近", care_plans: "管理计划", care_team: "团队", since: "开始于",
    care_plan_template: "计划模板", start_plan: "创建管理计划", plan_started: "已创建管理计划", owner_doctor: "医生", owner_dietitian: "营养师",
    check_hints: "安全检查提示：请再看一遍；确认无误可仍然发送", send_anyway: "仍然发送",
    owner_health_manager: "健康管理师", owner_patient: "患者", streak: "连续 {n} 次", adherence: "完成率 {p}%",
    assign: "分配", assignee: "健康管理师用户名", assigned_to: "负责人：{who}", resolve: "标记已解决",
  },
  en: {
    title: "Health manager console", nav_board: "Live board", nav_review: "Review queue", logout: "Sign out",
    sign_in: "Sign in", username: "Username", password: "Password", sound_on: "Sound: on", sound_off: "Sound: off",
    patient: "Patient", risk: "Risk", flags: "Flags", last_message: "Last message", waiting: "Waiting",
    unread: "Unread", sort: "Sort", sort_urgency: "By urgency", sort_waiting: "By waiting time", sort_recent: "By recent activity",
    live: "Live", offline: "Connecting…", empty_board: "No conversations yet", empty_queue: "Nothing is waiting for review",
    emergency: "Emergency", held_answer: "Held answer", low_confidence: "Low confidence", consent_needed: "Consent needed",
    level_emergency: "Emergency", level_urgent: "Within 24 h", level_routine: "Within a week", level_self_care: "Self-care", level_none: "—",
    alarm: "Emergency: patient {who} needs you now", open: "Open",
    question: "Patient asked", draft: "Held draft", reasons: "Why it was held", reply: "Reply",
    approve: "Approve", edit: "Send edited", reject: "Reject with reply", decided_by: "Already decided by {who} ({status})",
    auditor_readonly: "Auditors read only: no decisions", transcript: "Transcript", citations: "Citations", tools: "Tool calls",
    verdict: "Reviewer", readings: "Readings", tasks: "Tasks", consents: "Consents", back: "Back to the board",
    role_patient: "Patient", role_assistant: "Assistant", role_manager: "Health manager", role_system: "System",
    seconds: "{n} s", minutes: "{n} min", hours: "{n} h", none: "none", error: "Error",
    sent: "Sent", take_over: "Take over", hand_back: "Hand back to the assistant", send: "Send",
    manager_reply_hint: "Reply to the patient as their health manager", taken_over: "Taken over",
    nav_alerts: "Alerts", empty_alerts: "No open alerts", acknowledge: "Acknowledge", follow_up_task: "Follow-up task",
    task_created: "Follow-up task created", acknowledged_by: "Acknowledged by {who}", alert_open: "Open", alert_acknowledged: "Acknowledged",
    alert_resolved: "Resolved", task_glucose: "Follow-up: re-measure glucose", task_bp: "Follow-up: re-measure blood pressure",
    decided: "Decided", label: "Label", root_cause: "Root cause", notes: "Note", save_label: "Save label",
    labelled: "Labelled ({cause})", learning: "The next eval run includes {n} labelled case(s)",
    cause_technical: "Technical", cause_rule: "Rule", cause_data: "Data",
    nav_quality: "Quality", q_turns: "Turns today", q_escalations: "Escalations", q_held: "Held answers", q_decided: "Decided",
    q_approval_rate: "Approved as drafted", q_median_decision: "Median time to decision", q_turns_by_hour: "Turns per hour (UTC)", q_labels: "Labels today by root cause",
    answer_verdict: "Answer label", label_this: "Label this answer…", verdict_correct: "Correct", verdict_unsafe: "Unsafe", verdict_unsupported: "Unsupported",
    verdict_unhelpful: "Unhelpful", label_notes_hint: "Note (optional)", answer_labelled: "Labelled {verdict} ({who})", choose_verdict: "Choose a label first",
    profile: "Profile", profile_conditions: "Conditions", profile_timezone: "Time zone", profile_region: "Region", profile_age: "Age", profile_sex: "Sex",
    profile_medications: "Medicines (names)", kind_blood_pressure: "Blood pressure", kind_glucose: "Glucose", kind_weight: "Weight", kind_heart_rate: "Heart rate", kind_spo2: "SpO2",
    value_sbp: "Systolic", value_dbp: "Diastolic", value_value: "Value", latest: "latest", care_plans: "Care plans", care_team: "Care team", since: "since",
    care_plan_template: "Care-plan template", start_plan: "Start care plan", plan_started: "Care plan started", owner_doctor: "Doctor", owner_dietitian: "Dietitian",
    check_hints: "The output checks found something: look again, or send it anyway", send_anyway: "Send anyway",
    owner_health_manager: "Health manager", owner_patient: "Patient", streak: "{n} in a row", adherence: "{p}% done",
    assign: "Assign", assignee: "Manager's username", assigned_to: "Assigned to {who}", resolve: "Resolve",
  },
};

export function lang() {
  return localStorage.getItem("hm-console-lang") || (navigator.language.startsWith("zh") ? "zh" : "en");
}

export function t(key, params = {}) {
  const text = TEXT[lang()][key] ?? TEXT.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

export function applyStatic(root = document) {
  document.documentElement.lang = lang() === "zh" ? "zh-CN" : "en";
  for (const el of root.querySelectorAll("[data-i18n]")) {
    const first = el.firstChild;
    if (first && first.nodeType === Node.TEXT_NODE) first.nodeValue = t(el.dataset.i18n) + (el.children.length ? " " : "");
    else if (!el.children.length) el.textContent = t(el.dataset.i18n);
  }
}
