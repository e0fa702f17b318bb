<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CaseDialog</name>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="119"/>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="128"/>
        <location filename="../../console/ui/case_dialog.py" line="132"/>
        <source>Timeline</source>
        <translation>流转记录</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="129"/>
        <location filename="../../console/ui/case_dialog.py" line="133"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="130"/>
        <source>Add note (Ctrl+Enter)</source>
        <translation>添加备注 (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="131"/>
        <source>Add note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="134"/>
        <source>New note</source>
        <translation>新备注</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="135"/>
        <source>Write a note about this case</source>
        <translation>填写本工单的备注</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="137"/>
        <source>Case</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="140"/>
        <source>Case %1</source>
        <translation>工单 %1</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="143"/>
        <source>Case number</source>
        <translation>工单编号</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="144"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="145"/>
        <source>Appeal type</source>
        <translation>诉求类型</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="146"/>
        <source>Category</source>
        <translation>问题分类</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="147"/>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="150"/>
        <source>Location</source>
        <translation>地点</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="155"/>
        <source>Description</source>
        <translation>诉求内容</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="156"/>
        <source>Handling</source>
        <translation>办理方式</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="157"/>
        <source>Lead agency</source>
        <translation>主办单位</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="158"/>
        <source>Deadline</source>
        <translation>办理时限</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="159"/>
        <source>Answer given</source>
        <translation>答复内容</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="162"/>
        <source>Taken by</source>
        <translation>受理人</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="170"/>
        <source>(no name)</source>
        <translation>（未留姓名）</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="172"/>
        <source>anonymous</source>
        <translation>匿名</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="174"/>
        <source>confidential</source>
        <translation>保密</translation>
    </message>
</context>
<context>
    <name>CaseTable</name>
    <message>
        <location filename="../../console/ui/models.py" line="132"/>
        <source>Case number</source>
        <translation>工单编号</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="133"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="134"/>
        <source>Category</source>
        <translation>问题分类</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="135"/>
        <source>Lead agency</source>
        <translation>主办单位</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="136"/>
        <source>Deadline</source>
        <translation>办理时限</translation>
    </message>
</context>
<context>
    <name>FirstStartDialog</name>
    <message>
        <location filename="../../console/ui/first_start.py" line="19"/>
        <source>Welcome to the 12345 Hotline Console</source>
        <translation>欢迎使用 12345 热线坐席工作台</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="21"/>
        <source>Before the first call, say who is at this seat.</source>
        <translation>接听第一个来电前，请登记本坐席的坐席号和姓名。</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="24"/>
        <source>Seat code</source>
        <translation>坐席号</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="29"/>
        <location filename="../../console/ui/first_start.py" line="36"/>
        <source>Your name</source>
        <translation>您的姓名</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="34"/>
        <source>Seat code (3 digits)</source>
        <translation>坐席号（3 位数字）</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <location filename="../../console/ui/case_views.py" line="129"/>
        <source>Type the caller&apos;s number to see their earlier cases.</source>
        <translation>输入来电号码，即可查看该号码的历史工单。</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_views.py" line="131"/>
        <source>No earlier cases for %1.</source>
        <translation>%1 没有历史工单。</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_views.py" line="133"/>
        <source>Earlier cases of %1 (open first):</source>
        <translation>%1 的历史工单（未办结的在前）：</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_views.py" line="134"/>
        <source>Repeat caller: called in the last 30 days.</source>
        <translation>重复来电：该号码近 30 天内曾来电。</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_views.py" line="135"/>
        <source>Caller history</source>
        <translation>来电历史</translation>
    </message>
</context>
<context>
    <name>IntakePanel</name>
    <message>
        <location filename="../../console/ui/form_state.py" line="132"/>
        <source>Choose…</source>
        <translation>请选择…</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="134"/>
        <source>Mobile or fixed line, e.g. 13812345678 or 010 6512 3456</source>
        <translation>手机或固定电话，如 13812345678 或 010 6512 3456</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="137"/>
        <source>Type Chinese, pinyin or initials: 占道, zhandao, zdjy</source>
        <translation>可输入汉字、拼音或拼音首字母：占道、zhandao、zdjy</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="140"/>
        <source>Free address; an unknown place never blocks saving</source>
        <translation>自由填写；地址无法识别也不影响保存</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="142"/>
        <source>Confidential</source>
        <translation>保密</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="143"/>
        <source>The agency does not see who called</source>
        <translation>承办单位看不到来电人信息</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="144"/>
        <source>Anonymous</source>
        <translation>匿名</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="148"/>
        <source>Type an agency and press Enter to add it</source>
        <translation>输入单位名称，按回车键添加</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="151"/>
        <source>Caller phone</source>
        <translation>来电号码</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="152"/>
        <source>Appeal type</source>
        <translation>诉求类型</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="153"/>
        <source>Category</source>
        <translation>问题分类</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="154"/>
        <source>District</source>
        <translation>区</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="155"/>
        <source>Street or township</source>
        <translation>街道（乡镇）</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="156"/>
        <source>Community</source>
        <translation>社区（村）</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="157"/>
        <source>Address</source>
        <translation>详细地址</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="158"/>
        <source>Description</source>
        <translation>诉求内容</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="159"/>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="160"/>
        <source>Caller name</source>
        <translation>来电人姓名</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="161"/>
        <source>Callback number</source>
        <translation>回拨号码</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="162"/>
        <source>Answer given</source>
        <translation>答复内容</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="163"/>
        <source>Lead agency</source>
        <translation>主办单位</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="164"/>
        <source>Assisting agency</source>
        <translation>协办单位</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="165"/>
        <source>Assisting agencies</source>
        <translation>协办单位列表</translation>
    </message>
    <message>
        <location filename="../../console/ui/form_state.py" line="166"/>
        <source>Deadline</source>
        <translation>办理时限</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="227"/>
        <source>Restored the call you were typing at %1 — it is not saved yet.</source>
        <translation>已恢复您在 %1 时正在录入的来电，尚未保存。</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="324"/>
        <source>SLA rule %1: %2</source>
        <translation>时限规则 %1：%2</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="329"/>
        <source>Suggested by routing rule %1 (line %2): %3</source>
        <translation>派单规则 %1（第 %2 行）建议：%3</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="334"/>
        <source>Chosen by you; the rules suggest %1.</source>
        <translation>由您选定；规则建议为 %1。</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="376"/>
        <location filename="../../console/ui/intake_panel.py" line="468"/>
        <source>Saved. Case number:</source>
        <translation>已保存。工单编号：</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="387"/>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="441"/>
        <source>Caller &amp;phone</source>
        <translation>来电号码(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="442"/>
        <source>Appeal t&amp;ype</source>
        <translation>诉求类型(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="446"/>
        <source>C&amp;ommunity</source>
        <translation>社区（村）(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="450"/>
        <source>Caller na&amp;me</source>
        <translation>来电人姓名(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="456"/>
        <source>A&amp;ssisting agencies</source>
        <translation>协办单位(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="457"/>
        <source>Deadli&amp;ne</source>
        <translation>办理时限(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="443"/>
        <source>&amp;Category</source>
        <translation>问题分类(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="444"/>
        <source>&amp;District</source>
        <translation>区(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="445"/>
        <source>S&amp;treet / township</source>
        <translation>街道（乡镇）(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="447"/>
        <source>&amp;Address</source>
        <translation>详细地址(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="448"/>
        <source>D&amp;escription</source>
        <translation>诉求内容(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="449"/>
        <source>&amp;Urgency</source>
        <translation>紧急程度(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="451"/>
        <source>Call&amp;back number</source>
        <translation>回拨号码(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="452"/>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="453"/>
        <source>Handling</source>
        <translation>办理方式</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="454"/>
        <source>Ans&amp;wer given</source>
        <translation>答复内容(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="455"/>
        <source>&amp;Lead agency</source>
        <translation>主办单位(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="462"/>
        <source>Save (Ctrl+S)</source>
        <translation>保存 (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="463"/>
        <source>New call (Ctrl+N)</source>
        <translation>新来电 (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="464"/>
        <source>Save case</source>
        <translation>保存工单</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="465"/>
        <source>New call</source>
        <translation>新来电</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="466"/>
        <source>Case number</source>
        <translation>工单编号</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../console/ui/labels.py" line="22"/>
        <source>Consultation</source>
        <translation>咨询</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="23"/>
        <source>Help request</source>
        <translation>求助</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="24"/>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="25"/>
        <source>Report of wrongdoing</source>
        <translation>举报</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="26"/>
        <source>Suggestion</source>
        <translation>建议</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="27"/>
        <source>Praise</source>
        <translation>表扬</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="33"/>
        <source>Normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="34"/>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="35"/>
        <source>Emergency (danger to life or property)</source>
        <translation>特急（危及生命财产安全）</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="41"/>
        <source>Dispatch to agency</source>
        <translation>派单</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="42"/>
        <source>Direct answer</source>
        <translation>直接答复</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="48"/>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="49"/>
        <source>Answered</source>
        <translation>已答复</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="50"/>
        <source>Dispatched</source>
        <translation>已派单</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="51"/>
        <source>Accepted</source>
        <translation>已签收</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="52"/>
        <source>Returned</source>
        <translation>已退单</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="53"/>
        <source>Replied</source>
        <translation>已反馈</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="54"/>
        <source>Reopened</source>
        <translation>重办</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="55"/>
        <source>Closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="56"/>
        <source>Void</source>
        <translation>作废</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="62"/>
        <source>Case created</source>
        <translation>创建工单</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="63"/>
        <source>Answered at intake</source>
        <translation>受理时直接答复</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="64"/>
        <source>Dispatched to</source>
        <translation>派单至</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="65"/>
        <source>Note added</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="66"/>
        <source>Changed</source>
        <translation>已修改</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="67"/>
        <source>Signed for by the agency</source>
        <translation>承办单位已签收</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="68"/>
        <source>Returned by the agency</source>
        <translation>承办单位退单</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="69"/>
        <source>Agency replied</source>
        <translation>承办单位已反馈</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="70"/>
        <source>Extension requested</source>
        <translation>申请延期</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="71"/>
        <source>Extension approved</source>
        <translation>延期已批准</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="72"/>
        <source>Extension refused</source>
        <translation>延期未批准</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="73"/>
        <source>Re-dispatched to</source>
        <translation>改派至</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="74"/>
        <source>Reassigned to</source>
        <translation>转交给</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="75"/>
        <source>Voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="76"/>
        <source>Merged into</source>
        <translation>已合并至</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="77"/>
        <source>Follow-up call</source>
        <translation>回访</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="78"/>
        <source>Change not applied (conflict)</source>
        <translation>修改未生效（冲突）</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="84"/>
        <source>Required.</source>
        <translation>必填。</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="85"/>
        <source>Not a valid phone number: mobile, or fixed line with or without area code.</source>
        <translation>不是有效的电话号码：请填写手机号码或固定电话（可带区号）。</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="88"/>
        <source>Too short: describe the request in at least a few words.</source>
        <translation>内容过短：请用几句话说明诉求。</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="91"/>
        <source>Too long.</source>
        <translation>内容过长。</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="92"/>
        <source>Say where: a district or an address.</source>
        <translation>请填写地点：区或详细地址。</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="93"/>
        <source>Unknown agency.</source>
        <translation>未找到该单位。</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="94"/>
        <source>A seat code is three digits, 001 to 999.</source>
        <translation>坐席号为三位数字，001 至 999。</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="96"/>
        <source>Not accepted.</source>
        <translation>不符合要求。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../console/ui/app.py" line="160"/>
        <source>Cannot start</source>
        <translation>无法启动</translation>
    </message>
    <message>
        <location filename="../../console/ui/app.py" line="162"/>
        <source>The local database in %1 could not be opened: %2</source>
        <translation>无法打开 %1 中的本地数据库：%2</translation>
    </message>
    <message>
        <location filename="../../console/ui/app.py" line="178"/>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <location filename="../../console/ui/app.py" line="180"/>
        <source>Something went wrong: %1
Saved cases are safe. Details are in %2.</source>
        <translation>程序出错：%1
已保存的工单不受影响。详细信息见 %2。</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="140"/>
        <source>12345 Hotline Console</source>
        <translation>12345 热线坐席工作台</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="141"/>
        <source>&amp;Intake</source>
        <translation>受理(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="142"/>
        <source>Lan&amp;guage</source>
        <translation>语言(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="143"/>
        <source>&amp;New call</source>
        <translation>新来电(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="144"/>
        <source>&amp;Save case</source>
        <translation>保存工单(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="145"/>
        <source>Caller &amp;history</source>
        <translation>来电历史(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="146"/>
        <source>&amp;My cases</source>
        <translation>我的工单(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="147"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="148"/>
        <source>Caller history</source>
        <translation>来电历史</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="149"/>
        <source>My cases</source>
        <translation>我的工单</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="150"/>
        <source>Local database · no server configured</source>
        <translation>本地数据库 · 未配置服务器</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="152"/>
        <source>Opening the local database…</source>
        <translation>正在打开本地数据库…</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="155"/>
        <source>Seat %1 · %2</source>
        <translation>坐席 %1 · %2</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="161"/>
        <source>Reference data file %1, line %2: %3. The previous data stays in use.</source>
        <translation>基础数据文件 %1 第 %2 行：%3。继续使用原有数据。</translation>
    </message>
</context>
<context>
    <name>MyCasesPanel</name>
    <message>
        <location filename="../../console/ui/case_views.py" line="175"/>
        <source>Cases of this seat: today&apos;s and every open one.</source>
        <translation>本坐席的工单：今天的全部工单，以及所有未办结的工单。</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_views.py" line="176"/>
        <source>My cases</source>
        <translation>我的工单</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <location filename="../../console/ui/models.py" line="178"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="179"/>
        <source>Event</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="180"/>
        <source>By</source>
        <translation>操作人</translation>
    </message>
</context>
</TS>
