"""Calls as the intake form records them, shared by the console's and the server's tests."""

from __future__ import annotations

from console.domain.enums import AppealType, Handling
from console.domain.intake import IntakeForm

# A complete complaint about street vending in Sanlitun, sent to the street office.
COMPLAINT = IntakeForm(
    caller_phone="13800138000",
    appeal_type=AppealType.COMPLAINT.value,
    category_code="010101",
    district="朝阳区",
    street="三里屯街道",
    community="幸福村社区",
    address="三里屯路19号南侧人行道",
    description="每天傍晚有商贩在人行道上摆摊卖水果，行人只能走到机动车道上。",
    caller_name="张先生",
    handling=Handling.DISPATCH.value,
    lead_agency_code="S110105004",
)

# A question the call-taker answers on the phone.
CONSULTATION = IntakeForm(
    caller_phone="13800138000",
    appeal_type=AppealType.CONSULTATION.value,
    category_code="160301",
    description="想问一下个人所得税专项附加扣除在哪里填报。",
    handling=Handling.DIRECT_ANSWER.value,
    answer_text="可以在个人所得税App的专项附加扣除填报页面填写，也可以通过单位代为填报。",
)
