"""Intake, routing and dispatch settings (configuration with documented defaults, core.config)."""

from core.config import ConfigDefault, register

for default in [
    ConfigDefault("intake.duplicate.distance_m", 150, "疑似重复：距离阈值（米）", "—", "PRACTICE"),
    ConfigDefault("intake.duplicate.window_hours", 72, "疑似重复：时间窗口（小时）", "—", "PRACTICE"),
    ConfigDefault("intake.duplicate.text_similarity", 0.25, "疑似重复：文本相似度阈值（字二元组Jaccard）", "—", "PRACTICE"),
    ConfigDefault("intake.attachment.max_bytes", 10 * 1024 * 1024, "附件大小上限（字节）", "—", "PRACTICE"),
    ConfigDefault("dispatch.feedback_photo_required", False,
                  "反馈处置结果须附处置后照片（数字城管的做法；默认不强制，部分事件无从拍照）", "—", "PRACTICE"),
    ConfigDefault("intake.text.max_chars", 2000, "事件描述最大字数", "—", "PRACTICE"),
    ConfigDefault("intake.updates_settle_seconds", 300,
                  "回传接口暂不提供最近多少秒内的变更（须长于最长的写入事务，如500条的无人机批量约8–16秒），以免漏读",
                  "—", "PRACTICE"),
    ConfigDefault("intake.reopen_days", 15, "办结后群众可申请重新处理的天数", "—", "PRACTICE"),
    ConfigDefault("intake.public.max_per_hour", 5,
                  "公众报告页：同一IP每小时最多受理件数（防刷；网格员、热线等系统不受限）", "—", "PRACTICE"),
    ConfigDefault("routing.auto_threshold", 0.55, "自动分派的最低置信度，低于则进入人工分拨", "—", "PRACTICE"),
    ConfigDefault("routing.border_margin_m", 50,
                  "定位距相邻镇街不足该距离（米）、且责任主体取决于发生地镇街（事项已赋权镇街）的，转人工分拨核定发生地；"
                  "地址写明定位所在镇街的除外", "—", "PRACTICE"),
    ConfigDefault("routing.dispute_after_returns", 2, "同一事件被退单几次后转为职责争议", "ZJ-017", "PRACTICE"),
    ConfigDefault("dispatch.sign_hours.urgent", 1, "紧急指令签收时限（小时）", "—", "PRACTICE"),
    ConfigDefault("dispatch.sign_hours.high", 4, "较急指令签收时限（小时）", "—", "PRACTICE"),
    ConfigDefault("dispatch.sign_hours.normal", 24, "一般指令签收时限（小时）", "—", "PRACTICE"),
    ConfigDefault("dispatch.sign_hours.low", 48, "缓办指令签收时限（小时）", "—", "PRACTICE"),
    ConfigDefault("dispatch.feedback_working_days.urgent", 1, "紧急指令反馈时限（工作日）", "—", "PRACTICE"),
    ConfigDefault("dispatch.feedback_working_days.high", 2, "较急指令反馈时限（工作日）", "—", "PRACTICE"),
    ConfigDefault("dispatch.feedback_working_days.normal", 5, "一般指令反馈时限（工作日）", "—", "PRACTICE"),
    ConfigDefault("dispatch.feedback_working_days.low", 10, "缓办指令反馈时限（工作日）", "—", "PRACTICE"),
    ConfigDefault("dispatch.remind_fraction", 0.75, "时限过去该比例时提醒（即将超期）", "—", "PRACTICE"),
    ConfigDefault("dispatch.escalate_level2_hours", 24, "超期后再过多少小时升级到县领导督办", "—", "PRACTICE"),
    ConfigDefault("dispatch.performance_min_sample", 10,
                  "考评：到期指令少于该数的单位只显示、不排名（小样本的比率不可比）", "—", "PRACTICE"),
    ConfigDefault("dispatch.hotspot_window_days", 7, "热点预警：统计最近多少天的报告", "—", "PRACTICE"),
    ConfigDefault("dispatch.hotspot_baseline_days", 56, "热点预警：与此前多少天的常态比较", "—", "PRACTICE"),
    ConfigDefault("dispatch.hotspot_min_reports", 5, "热点预警：最近报告至少多少件才提示", "—", "PRACTICE"),
    ConfigDefault("dispatch.hotspot_alpha", 0.001,
                  "热点预警：按常态频率（泊松）出现这么多报告的概率低于该值才提示", "—", "PRACTICE"),
    ConfigDefault("whistle.report_hours", 24, "吹哨后部门报到时限（小时）", "ZJ-017", "UNVERIFIED"),
]:
    register(default)
