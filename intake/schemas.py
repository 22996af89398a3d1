import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict

MAX_BATCH = 500  # detections in one drone flight's batch


class StrictIn(Schema):
    """A request body: a field this API does not know is refused with its name (``422``), never dropped in
    silence — a sender's ``category_code`` for ``category`` would otherwise file the report without its
    category, and nobody would know why it was routed by text."""

    model_config = ConfigDict(extra="forbid")


class AttachmentIn(StrictIn):
    name: str = Field(..., max_length=200)
    content_base64: str


class EventIn(StrictIn):
    external_id: str = Field("", max_length=100, description="发送方系统中的编号；重复提交同一编号不会新建事件")
    channel: str | None = Field(None, description="默认按接入系统类型确定")
    # checked with the rest of the report (every field's errors in one 422), not by the schema
    text: str = Field(..., description="事件描述，必填，不超过 intake.text.max_chars 字（默认2000）")
    title: str = ""
    lng: float | None = None
    lat: float | None = None
    address: str = ""
    town: str | None = Field(None, description="乡镇(街道)名称或9位代码；无经纬度时应填写，未填则按地址中的镇街名确定")
    occurred_at: dt.datetime | None = None
    found_on: str | None = Field(None, description="部门移送：本部门发现该线索的日期（YYYY-MM-DD），移送时限自此起算（ZJ-016）；其他渠道不填")
    category: str | None = Field(None, description="事件类别编码")
    priority: str = "normal"
    reporter_name: str = ""
    reporter_phone: str = ""
    confidential: bool = Field(False, description="报告人要求保密：姓名和电话只有指挥中心可见（XF-050）")
    notify_reporter: bool = Field(False, description="以短信告知报告人受理和办结（须有 reporter_phone）；12345热线自行回访的不要设置")
    attachments: list[AttachmentIn] = []
    media_url: str = Field("", description="发送方系统保存的照片/视频链接（http/https）：供办理人员查看，不公开、不由本系统下载")


class BatchIn(StrictIn):
    flight_id: str = Field("", max_length=60, description="无人机架次编号（记录在每条事件的来源编号前缀中）")
    detections: list[EventIn] = Field(..., min_length=1, max_length=MAX_BATCH,
                                      description=f"检测结果，1–{MAX_BATCH}条，全部有效才写入（任一无效则 422 指出序号）")


class EventOut(Schema):
    ticket: str
    status: str
    status_label: str
    created: bool
    duplicate_of: str | None
    me_too_count: int
    town: str | None
    category: str | None
    department: str | None
    team: str | None
    explanation: str | None
    received_at: dt.datetime
    external_id: str = Field("", description="发送方系统中的编号")
    outcome: str = Field("", description="处置结果（办理单位反馈，供热线回复报告人）")
    resolved_at: dt.datetime | None = Field(None, description="处置完毕时间")
    closed_at: dt.datetime | None = Field(None, description="办结时间")
    town_source: str = Field("", description="镇街依据：point 按定位，given 按所填，address 按地址中的镇街名，staff 指挥中心核定")


class UpdateOut(Schema):
    id: int = Field(..., description="变更编号：下次以 after=此编号 继续读取")
    ticket: str
    external_id: str
    old: str
    new: str
    new_label: str
    reason: str
    at: dt.datetime
    event: EventOut


class UpdatesOut(Schema):
    updates: list[UpdateOut]
    next_after: int = Field(..., description="下次请求的 after 值（无新变更时不变）")


class BatchOut(Schema):
    created: int
    existing: int
    events: list[EventOut]


class ReferralOut(Schema):
    ticket: str = Field(..., description="本系统或本部门人员移送时的事件编号")
    external_id: str = Field(..., description="本系统的编号（部门人员在页面上移送的为空）")


class FeedbackOut(Schema):
    id: int = Field(..., description="反馈编号：下次以 after=此编号 继续读取")
    case: str | None = Field(..., description="案件编号（立案后才有）")
    status: str = Field(..., description="答复的环节：filed 立案, not_filed 不予立案, decided 作出决定, "
                                         "spot_decided 当场处罚, transferred_out 移送其他机关, transferred_judicial 移送司法机关, "
                                         "closed 结案")
    status_label: str
    text: str = Field(..., description="反馈内容，与部门收到的通知相同")
    on: dt.date
    at: dt.datetime
    referrals: list[ReferralOut] = Field(..., description="本部门移送的、由该案件办理的线索")


class FeedbackListOut(Schema):
    feedback: list[FeedbackOut]
    next_after: int = Field(..., description="下次请求的 after 值（无新反馈时不变）")
