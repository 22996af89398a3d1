"""English UI strings for the zh-hans msgids (kept here so `make messages` can refill the .po).

Run: ``python scripts/en_glossary.py`` after ``openenforce makemessages -l en``; it fills empty
msgstr entries that this glossary knows and reports the ones it does not.
"""

import sys

import polib

EN = {
"法律": "Law", "行政法规": "Administrative regulation", "地方性法规": "Local regulation", "规章": "Rule",
"行政处罚": "Administrative penalty", "行政强制": "Administrative coercion", "行政检查": "Administrative inspection",
"行政征收": "Administrative levy", "其他行政权力": "Other administrative power", "警告": "Warning",
"通报批评": "Public criticism", "罚款": "Fine", "没收违法所得": "Confiscation of illegal gains",
"没收非法财物": "Confiscation of illegal property", "暂扣许可证件": "Suspension of permit",
"降低资质等级": "Downgrade of qualification", "吊销许可证件": "Revocation of permit",
"限制开展生产经营活动": "Restriction of business activity", "责令停产停业": "Order to suspend production/business",
"责令关闭": "Order to close", "限制从业": "Occupational restriction", "行政拘留": "Administrative detention",
"法律、行政法规规定的其他行政处罚": "Other penalty set by law or administrative regulation",
"固定金额": "Fixed amount", "违法所得倍数": "Multiple of illegal gains", "货值金额倍数": "Multiple of goods value",
"其他基数倍数": "Multiple of another base", "比例": "Percentage", "待审核": "Pending review", "已采纳": "Accepted",
"已驳回": "Rejected", "新增事项": "New item", "修改事项": "Item edited", "划转(变更实施主体)": "Transfer (new holder)",
"赋权镇街": "Delegated to towns", "收回镇街赋权": "Delegation withdrawn", "取消事项": "Item repealed",
"裁量基准": "Discretion standard", "职责边界": "Responsibility boundary", "关键词/编码/法条": "Keyword / code / article",
"领域": "Domain", "实施主体": "Holder", "日期": "Date", "事项名称(可修改)": "Item name (editable)",
"承办队伍": "Executing team", "业务主管部门": "Supervising department", "生效日期": "Effective date",
"审核意见": "Review note", "驳回理由": "Reason for rejection", "名称": "Name", "简称": "Short name",
"效力级别": "Level", "版本日期": "Version date", "最近一次通过/修订/修正日期": "Date of the latest adoption/revision/amendment",
"施行日期": "In force from", "失效日期": "In force until", "题注": "Preamble", "来源文件": "Source file",
"来源": "Source", "法律法规": "Laws", "章": "Chapter", "标题": "Title", "法律责任章": "Liability chapter",
"条号": "Article number", "条": "Article", "如“第五十一条”": "e.g. “第五十一条”", "条文": "Text", "法条": "Article",
"编码": "Code", "说明": "Note", "执法领域": "Enforcement domain", "类型": "Type", "依据文件": "Decision document",
"目录变更": "Catalogue change", "事项编码": "Item code", "事项名称": "Item name", "事项类型": "Item type",
"违法行为": "Violation", "法律依据": "Legal basis", "处罚种类": "Penalty types", "罚款下限(元)": "Minimum fine (yuan)",
"罚款上限(元)": "Maximum fine (yuan)", "罚款幅度": "Fine range",
"[{basis, min, max, text}]，basis 见 FineBasis": "[{basis, min, max, text}], basis: see FineBasis",
"罚则原文": "Penalty clause text", "原实施部门": "Original department", "业务主管(监管)部门": "Supervising department",
"法条规定的部门": "Department named in the article", "取消日期": "Repealed on", "最近办案日期": "Last case on",
"执法事项": "Enforcement item", "处罚依据": "Penalty basis", "违则": "Violated provision", "项": "Clause",
"如“第一款第（三）项”": "e.g. “第一款第（三）项”", "起始": "From", "截止(不含)": "Until (exclusive)", "镇街": "Town",
"公布文件": "Publication", "镇街赋权": "Town delegation", "版本": "Version", "公布网址": "Publication URL",
"文件": "Document", "裁量阶次": "Discretion level", "如 不予处罚/从轻/一般/从重": "e.g. no penalty / lighter / ordinary / heavier",
"适用情形": "Circumstances", "罚款下限": "Minimum fine", "罚款上限": "Maximum fine",
"职责边界清单": "Responsibility-boundary list", "指导办裁定": "Guidance-office ruling", "编号": "Number",
"事项/情形": "Matter", "判定标准": "Criteria", "关键词": "Keywords", "监管部门": "Supervising body",
"处罚部门": "Penalising body", "关联事项编码": "Related item codes", "来源类型": "Source type", "来源日期": "Source date",
"序号": "Sequence", "同一条内的第几个候选": "Position within the article", "罚则": "Penalty clause",
"候选事项": "Candidate item", "状态日期": "State on", "无实施主体": "No holder", "个镇街": "towns",
"没有符合条件的事项": "No matching items", "上一页": "Previous", "下一页": "Next",
"依据本条的执法事项": "Items based on this article", "无": "None", "候选事项审核": "Candidate review",
"候选事项由法律责任章节中的罚则自动识别，须经审核（采纳、修改后采纳或驳回）方可进入目录。":
    "Candidates are found automatically in the liability chapters; each must be reviewed (accepted, edited and accepted, or rejected) before it enters the catalogue.",
"状态": "Status", "全部": "All", "筛选": "Filter", "采纳 / 修改后采纳": "Accept / edit and accept", "采纳": "Accept",
"驳回": "Reject", "覆盖分析": "Coverage", "目录覆盖分析": "Catalogue coverage", "沉睡年限": "Dormant after (years)",
"分析": "Analyse", "无实施主体的事项": "Items without a holder", "多个实施主体的事项": "Items with several holders",
"指向未知事项的职责边界": "Boundary rows pointing at unknown items", "无执法队伍的镇街": "Towns without a team",
"%(n)s 年内无案件的“沉睡”事项": "Dormant items (no case in %(n)s years)", "多个实施主体": "Several holders",
"职责边界指向未知事项": "Boundary rows with unknown items", "沉睡事项（前50项）": "Dormant items (first 50)",
"最近案件": "Last case", "从未": "never", "目录版本": "Catalogue versions", "目录版本与变更": "Catalogue versions and changes",
"查看某日的目录状态": "Catalogue as it stood on", "查看": "Show", "按此日期浏览事项": "Browse items on this date",
"事项数": "Items", "有实施主体的事项": "Items with a holder", "赋权镇街的事项": "Items delegated to towns",
"条赋权": "delegations", "按实施主体": "By holder", "最近变更": "Recent changes", "操作人": "By",
"事项目录": "Catalogue", "无具体数额": "No amount stated", "实施主体沿革": "Holder history", "截止": "Until",
"依据": "Basis", "镇街赋权沿革": "Delegation history", "施行": "In force", "阶次": "Level",
"执法事项目录": "Enforcement item catalogue", "查询": "Search", "法律法规库": "Legal library", "条数": "Articles",
"首页": "Home", "组织机构": "Organisation", "企业名录": "Enterprises", "导入导出": "Import / export", "时间": "Time",
"操作人ID": "Actor id", "操作": "Action", "对象类型": "Object type", "对象ID": "Object id", "对象": "Object",
"修改前": "Before", "修改后": "After", "审计记录": "Audit record", "审计链头": "Audit chain head", "年度": "Year",
"通知标题": "Notice title", "文号": "Document number", "发布日期": "Published on", "节假日通知": "Holiday notice",
"法定节假日(休息)": "Statutory holiday (rest)", "调休上班": "Adjusted working day", "节日": "Holiday",
"日历日": "Calendar day", "配置项": "Key", "值": "Value", "依据/理由": "Basis / reason", "配置值": "Configuration value",
"%(name)s，您好": "Hello, %(name)s", "角色": "Role", "个领域": "domains", "执法队伍": "Teams",
"名持证执法人员": "certified officers", "监管对象（企业/个体户）": "Regulated enterprises and businesses",
"待审核候选事项": "Candidates awaiting review",
"“%(f)s”导入成功：%(r)s 行，新增 %(c)s，更新 %(u)s，用时 %(s)s 秒。":
    "“%(f)s” imported: %(r)s rows, %(c)s created, %(u)s updated, in %(s)s s.",
"“%(f)s”未导入，没有写入任何数据。": "“%(f)s” was not imported; nothing was written.", "行": "Row", "列": "Column",
"问题": "Problem", "导入类型": "What to import", "文件（.xlsx 或 .csv，UTF-8 或 GBK）": "File (.xlsx or .csv, UTF-8 or GBK)",
"列映射（可选，每行一条：文件列名=字段名）": "Column mapping (optional, one per line: file column=field)",
"更新已有记录（按代码匹配）": "Update existing records (matched by code)", "校验并导入": "Validate and import",
"可导入的列": "Importable columns", "导出": "Export", "字段": "Field", "必填": "Required", "也接受的列名": "Also accepted",
"简体中文": "Simplified Chinese", "English": "English", "省": "Province", "市": "City", "县": "County",
"乡镇/街道": "Town / sub-district", "村/社区": "Village / community", "网格": "Grid", "人民政府": "People's government",
"综合行政执法部门": "Comprehensive enforcement bureau", "乡镇人民政府/街道办事处": "Town government / sub-district office",
"综合行政执法指导机构": "Enforcement guidance office", "县综合行政执法队": "County enforcement team",
"专业执法队": "Professional team", "镇街综合行政执法队": "Town enforcement team", "指挥中心值班员": "Command-centre operator",
"综合行政执法指导办": "Guidance office", "县综合执法局执法人员": "County bureau officer",
"专业执法队执法人员": "Professional team officer", "镇街执法队员": "Town team officer", "网格员": "Grid worker",
"法制审核人员": "Legal reviewer", "县领导": "County leader", "群众/企业": "Citizen / enterprise",
"系统管理员": "Administrator", "区划代码": "Division code",
"GB/T 2260 代码（乡镇9位、村12位统计用代码）": "GB/T 2260 code (9 digits for towns, 12-digit statistical code for villages)",
"层级": "Level", "乡镇类型": "Town type", "片区": "District", "边界(GeoJSON)": "Boundary (GeoJSON)",
"边界为示意": "Boundary is approximate", "行政区划": "Division", "所在区划": "Division", "文书字号前缀": "Document prefix",
"行政复议机关": "Reconsideration body", "有效": "Active", "部门": "Department", "所属部门": "Department",
"服务镇街": "Towns served", "姓名": "Name", "队伍": "Team", "电话": "Phone", "用户": "User", "工号": "Staff no.",
"派驻镇街": "Stationed in", "辅助人员": "Auxiliary staff", "执法证号": "Certificate no.",
"执法证执法范围": "Certificate scope", "发证日期": "Issued on", "有效期至": "Valid until",
"法律职业资格证书号": "Legal qualification no.", "业务领域": "Competences", "在岗": "Active", "执法人员": "Officer",
"执法人员名册": "Officer register", "姓名/证号/工号": "Name / certificate / staff no.", "人": "people",
"身份": "Status", "执法范围": "Scope", "派驻": "Stationed", "已过期": "expired",
"镇街范围为示意（依据镇街驻地点位生成），非官方行政区划边界；县界来自公开数据。":
    "Town areas are APPROXIMATE (generated from the town seats), not official boundaries; the county outline is public data.",
"片区与镇街": "Districts and towns", "持证人员": "Certified", "全县": "whole county", "文书字号": "Document prefix",
"队伍数": "Teams", "A 低风险": "A low risk", "B 一般风险": "B general risk", "C 较高风险": "C higher risk",
"D 高风险": "D high risk", "企业": "Enterprise", "个体工商户": "Individual business", "其他组织": "Other organisation",
"统一社会信用代码": "Unified social credit code", "注册号(旧)": "Registration no. (legacy)", "主体类型": "Kind",
"法定代表人/经营者": "Legal representative / operator", "地址": "Address", "经度": "Longitude", "纬度": "Latitude",
"行业": "Industry", "登记机关": "Registration authority", "所属镇街": "Town", "信用风险分类": "Credit/risk class",
"合成数据": "Synthetic", "演示用的合成企业，不是真实主体": "A synthetic demo enterprise, not a real one",
"企业/个体户": "Enterprise / business", "身份证号码": "ID number", "出生日期": "Date of birth", "住址": "Address",
"自然人": "Person", "演示用合成数据，不是真实市场主体。": "Synthetic demo data, not a real enterprise.",
"统一社会信用代码/注册号": "Credit code / registration no.", "位置": "Location", "名称/代码/地址": "Name / code / address",
"风险分类": "Risk class", "户": "entries", "代码": "Code", "风险": "Risk", "合成": "synthetic",
"没有符合条件的企业": "No matching enterprises", "OpenEnforce 综合行政执法": "OpenEnforce",
"常山县综合行政执法平台": "Changshan County Enforcement Platform", "退出": "Log out", "登录": "Log in",
"用户名或密码错误，请重试。": "Wrong user name or password; please try again.", "用户名": "User name", "密码": "Password",
"演示账号见 README 或 make demo 的输出。": "Demo accounts are listed in the README and printed by make demo.",
}
try:
    from en_glossary_errors import EN_CONTEXT, EN_ERRORS
    from en_glossary_more import EN_MORE
except ModuleNotFoundError:  # run from another directory
    from scripts.en_glossary_errors import EN_CONTEXT, EN_ERRORS
    from scripts.en_glossary_more import EN_MORE
EN.update(EN_MORE)
EN.update(EN_ERRORS)

PLURALS = {
    "共 %(n)s 项": ("%(n)s item", "%(n)s items"),
    "%(n)s 条": ("%(n)s entry", "%(n)s entries"),
    "共 %(n)s 处错误：": ("%(n)s error:", "%(n)s errors:"),
    "打码 %(n)s 处": ("%(n)s region masked", "%(n)s regions masked"),
    "全部 %(n)s 件": ("all %(n)s", "all %(n)s"),
    "%(n)s 件在办": ("%(n)s still being handled", "%(n)s still being handled"),
    "退单 %(n)s 次": ("returned once", "returned %(n)s times"),
    "%(n)s 项": ("%(n)s item", "%(n)s items"),
    "%(n)s 名执法人员的执法证已过期或将在 %(days)s 日内到期：过期后不能参与执法。": (
        "%(n)s officer's certificate has lapsed or lapses within %(days)s days: a lapsed certificate cannot enforce.",
        "%(n)s officers' certificates have lapsed or lapse within %(days)s days: a lapsed certificate cannot enforce."),
    "已过期或 %(n)s 日内到期": ("lapsed or lapsing within %(n)s day", "lapsed or lapsing within %(n)s days"),
    "%(n)s 人": ("%(n)s officer", "%(n)s officers"),
    "持有效执法证件的执法人员 %(n)s 名：姓名、证号、执法机关、执法范围和有效期。可输入证号核验执法证件。": (
        "%(n)s officer holds a valid enforcement certificate: name, number, body, scope and validity. Enter a "
        "certificate number to check it.",
        "%(n)s officers hold a valid enforcement certificate: name, number, body, scope and validity. Enter a "
        "certificate number to check it."),
    # with a context (blocktranslate count … context …): the same Chinese counts different things
    ("cases", "%(n)s 件"): ("%(n)s case", "%(n)s cases"),
    ("decisions", "%(n)s 件"): ("%(n)s decision", "%(n)s decisions"),
    "超期 %(days)s 日": ("%(days)s day late", "%(days)s days late"),
}


def main(path="locale/en/LC_MESSAGES/django.po") -> int:
    po = polib.pofile(path)
    missing = []
    for entry in po.obsolete_entries():  # strings no longer in the code: dead, and never "untranslated"
        po.remove(entry)
    for entry in po:
        if entry.msgid_plural:
            key = (entry.msgctxt, entry.msgid) if entry.msgctxt else entry.msgid
            if key in PLURALS:
                entry.msgstr_plural = {0: PLURALS[key][0], 1: PLURALS[key][1]}
                entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
                if "fuzzy" in entry.flags:  # a fuzzy entry is not compiled: the page would stay Chinese
                    entry.flags.remove("fuzzy")
            else:
                missing.append(entry.msgid)
        elif entry.msgctxt:  # pgettext: the same Chinese may need another English in this context
            entry.previous_msgid = entry.previous_msgctxt = None
            if (entry.msgctxt, entry.msgid) in EN_CONTEXT:
                entry.msgstr = EN_CONTEXT[(entry.msgctxt, entry.msgid)]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            else:
                entry.msgstr = ""
                missing.append(f"{entry.msgctxt}|{entry.msgid}")
        elif entry.msgid in EN:
            entry.msgstr = EN[entry.msgid]
            entry.previous_msgid = entry.previous_msgctxt = None  # msgmerge's guess, now replaced
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not entry.msgstr or "fuzzy" in entry.flags:
            # msgmerge's fuzzy guesses are often wrong (文件 → 案件) and are not compiled: report them
            entry.msgstr = ""
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgctxt = None
            missing.append(entry.msgid)
    po.save(path)
    po.save_as_mofile(path[:-3] + ".mo")
    for m in missing:
        print("untranslated:", m)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
