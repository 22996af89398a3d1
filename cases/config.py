"""Case-handling values the rulebook marks UNVERIFIED: configuration with documented defaults."""

from core.config import ConfigDefault, register

for default in [
    ConfigDefault("case.representation_working_days", 5, "陈述申辩期限（工作日，法律未规定，默认与听证申请期一致）", "XF-044-045-062"),
    ConfigDefault("case.hearing_threshold.person", 10000, "听证：对公民“较大数额罚款”起点（元）", "XF-063"),
    ConfigDefault("case.hearing_threshold.org", 100000, "听证：对法人或其他组织“较大数额罚款”起点（元）", "XF-063"),
    ConfigDefault("case.hearing_threshold.confiscation", 100000, "听证：没收较大数额违法所得/非法财物起点（元）", "XF-063"),
    ConfigDefault("case.legal_review_fine_threshold", 50000, "罚款达到该数额须法制审核（重大执法决定目录，元）", "XF-058"),
    ConfigDefault("case.legal_review_working_days", 10,
                  "法制审核时限（工作日；浙江未明确，默认参照市场监管总局：收到审核材料之日起10个工作日）", "XF-058"),
    ConfigDefault("case.verification_working_days", 15, "线索核查立案期限（工作日）", "XF-054"),
    ConfigDefault("case.first_violation_lookback_years", 2, "“初次违法”回溯年限", "XF-033"),
    ConfigDefault("case.individual_business_as_person", True, "个体工商户按公民适用简易程序限额", "XF-051"),
    ConfigDefault("case.simple_limit.person", 200, "简易程序罚款上限：公民（元，法定）", "XF-051", "PRIMARY"),
    ConfigDefault("case.simple_limit.org", 3000, "简易程序罚款上限：法人或其他组织（元，法定）", "XF-051", "PRIMARY"),
    ConfigDefault("case.on_spot_collection_max", 100, "当场收缴罚款上限（元，法定）", "XF-053", "PRIMARY"),
    ConfigDefault("case.decision_warn_days", [60, 80], "立案后第几天提醒90日期限", "XF-060", "PRIMARY"),
    ConfigDefault("case.decision_extension_days", 30,
                  "办案期限延长：经负责人批准可延长的日数（浙江综合执法未明确，默认参照市场监管、住建等部门规章：30日；"
                  "再次延长须负责人集体讨论并确定合理期限）", "XF-060"),
    ConfigDefault("case.late_decision_allowed", True,
                  "办案期限届满后仍可作出行政处罚决定，但须由负责人写明逾期原因，记录在案，决定时限计为超期。"
                  "关闭后，期限届满即不能再作出处罚决定（本规则库对第六十条的执行方式为计时与预警）", "XF-060"),
    ConfigDefault("case.decision_excludes_hearing", False,
                  "办案期限不计听证期间（自当事人申请听证之日至举行听证之日）。行政处罚法未规定，浙江综合执法未明确，默认计入；"
                  "市场监管、生态环境等部门规章规定听证等期间不计入，适用这类规章的可开启", "XF-060"),
    ConfigDefault("case.filing_record_working_days", 5, "当场处罚决定备案期限（工作日）", "XF-052"),
    ConfigDefault("case.publication_working_days", 7, "处罚决定公开期限（工作日）", "SX-3", "SECONDARY"),
    ConfigDefault("case.publication_display_days", 365, "处罚决定公开后在网上展示的天数（一般为1年）", "SX-3"),
]:
    register(default)
