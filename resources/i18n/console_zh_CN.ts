<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CaseDialog</name>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="164"/>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="173"/>
        <location filename="../../console/ui/case_dialog.py" line="178"/>
        <source>Timeline</source>
        <translation>流转记录</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="174"/>
        <location filename="../../console/ui/case_dialog.py" line="179"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="175"/>
        <source>Add note (Ctrl+Enter)</source>
        <translation>添加备注 (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="176"/>
        <source>Add note</source>
        <translation>添加备注</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="177"/>
        <source>&amp;Edit case…</source>
        <translation>修改工单(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="180"/>
        <source>New note</source>
        <translation>新备注</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="181"/>
        <source>Write a note about this case</source>
        <translation>填写本工单的备注</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="183"/>
        <source>Case</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="186"/>
        <source>Case %1</source>
        <translation>工单 %1</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="189"/>
        <source>Case number</source>
        <translation>工单编号</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="190"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="191"/>
        <source>Appeal type</source>
        <translation>诉求类型</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="192"/>
        <source>Category</source>
        <translation>问题分类</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="193"/>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="196"/>
        <source>Location</source>
        <translation>地点</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="201"/>
        <source>Description</source>
        <translation>诉求内容</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="202"/>
        <source>Handling</source>
        <translation>办理方式</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="203"/>
        <source>Lead agency</source>
        <translation>主办单位</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="204"/>
        <source>Deadline</source>
        <translation>办理时限</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="205"/>
        <source>Answer given</source>
        <translation>答复内容</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="208"/>
        <source>Taken by</source>
        <translation>受理人</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="216"/>
        <source>(no name)</source>
        <translation>（未留姓名）</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="218"/>
        <source>anonymous</source>
        <translation>匿名</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_dialog.py" line="220"/>
        <source>confidential</source>
        <translation>保密</translation>
    </message>
</context>
<context>
    <name>CaseEditDialog</name>
    <message>
        <location filename="../../console/ui/case_edit.py" line="44"/>
        <source>Edit case %1</source>
        <translation>修改工单 %1</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_edit.py" line="79"/>
        <source>&amp;Urgency</source>
        <translation>紧急程度(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_edit.py" line="80"/>
        <source>Ca&amp;tegory</source>
        <translation>问题分类(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_edit.py" line="81"/>
        <source>&amp;District</source>
        <translation>区(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_edit.py" line="82"/>
        <source>St&amp;reet</source>
        <translation>街道（乡镇）(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_edit.py" line="83"/>
        <source>Co&amp;mmunity</source>
        <translation>社区（村）(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_edit.py" line="84"/>
        <source>&amp;Address</source>
        <translation>详细地址(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_edit.py" line="85"/>
        <source>D&amp;escription</source>
        <translation>诉求内容(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_edit.py" line="86"/>
        <source>Caller &amp;name</source>
        <translation>来电人姓名(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_edit.py" line="87"/>
        <source>Call&amp;back number</source>
        <translation>回拨号码(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_edit.py" line="96"/>
        <source>&amp;Save (Ctrl+Enter)</source>
        <translation>保存(&amp;S) (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_edit.py" line="135"/>
        <source>Category: pick one from the list.</source>
        <translation>问题分类：请从列表中选择。</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_edit.py" line="158"/>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
</context>
<context>
    <name>CaseTable</name>
    <message>
        <location filename="../../console/ui/models.py" line="105"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="154"/>
        <source>Case number</source>
        <translation>工单编号</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="155"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="156"/>
        <source>Category</source>
        <translation>问题分类</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="157"/>
        <source>Lead agency</source>
        <translation>主办单位</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="158"/>
        <source>Deadline</source>
        <translation>办理时限</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="165"/>
        <source>synced</source>
        <translation>已同步</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="166"/>
        <source>waiting</source>
        <translation>待发送</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="167"/>
        <source>conflict</source>
        <translation>有冲突</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="168"/>
        <source>rejected</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="179"/>
        <source>The centre has this case as shown.</source>
        <translation>中心已收到本工单，内容与此一致。</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="180"/>
        <source>Saved here; waiting to be sent to the centre.</source>
        <translation>已保存在本机，等待发送到中心。</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="181"/>
        <source>Someone else changed this case too: see the conflicts (Ctrl+I).</source>
        <translation>其他人也修改了本工单：请查看冲突 (Ctrl+I)。</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="184"/>
        <source>The centre refused a change: see the conflicts (Ctrl+I).</source>
        <translation>中心拒绝了一项修改：请查看冲突 (Ctrl+I)。</translation>
    </message>
</context>
<context>
    <name>Conflicts</name>
    <message>
        <location filename="../../console/ui/conflicts.py" line="49"/>
        <source>The centre could not accept a value. Open the case and correct the field named below, then save again.</source>
        <translation>中心无法接受其中一项内容。请打开工单，改正下面所列的字段后再保存。</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="54"/>
        <source>The centre found the case incomplete. Open it and complete the fields named below.</source>
        <translation>中心认为工单内容不完整。请打开工单，补全下面所列的字段。</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="58"/>
        <source>The case had moved on at the centre, so this step was no longer possible. Open the case to see where it stands now.</source>
        <translation>该工单在中心已进入下一环节，此操作已无法执行。请打开工单查看当前状态。</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="63"/>
        <source>The case was reassigned to someone else, so this change was not applied. Tell the case&apos;s new owner if it still matters.</source>
        <translation>该工单已转交他人，此修改未生效。如仍有必要，请告知工单的新负责人。</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="68"/>
        <source>Your account may not make this change. Ask your supervisor.</source>
        <translation>您的账号无权进行此修改。请联系班长。</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="71"/>
        <source>The centre does not know this case. Call IT support.</source>
        <translation>中心没有这张工单。请联系技术支持。</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="78"/>
        <source>The centre refused this change (%1). Call IT support.</source>
        <translation>中心拒绝了此修改（%1）。请联系技术支持。</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="86"/>
        <source>%1: you wrote “%2”, but %3 had already changed it to “%4”. Kept: “%4”; yours was not applied.</source>
        <translation>%1：您填写的是“%2”，但 %3 已先改为“%4”。保留：“%4”；您的修改未生效。</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="97"/>
        <source>Your text was added to the case as a note.</source>
        <translation>您填写的内容已作为备注加入工单。</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="105"/>
        <source>Case %1 · changed on this console at %2 · the centre answered at %3</source>
        <translation>工单 %1 · 本机修改于 %2 · 中心答复于 %3</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="117"/>
        <source>This case now has the number %1. Give the caller this number if they call back; the old one is no longer valid.</source>
        <translation>本工单的编号已改为 %1。来电人再次来电时请告知此编号，原编号已作废。</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="130"/>
        <source>Field: %1</source>
        <translation>字段：%1</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="135"/>
        <source>%1: “%2” was not applied; the case keeps “%3”.</source>
        <translation>%1：“%2”未生效；工单仍为“%3”。</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="144"/>
        <source>Someone changed this case at the centre while this console was offline:</source>
        <translation>本机离线期间，有人在中心修改了本工单：</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="152"/>
        <source>Applied from the same change: %1.</source>
        <translation>同一次修改中已生效的：%1。</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="179"/>
        <source>Rejected</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="181"/>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message>
        <location filename="../../console/ui/conflicts.py" line="301"/>
        <source>Conflicts and rejected changes</source>
        <translation>冲突与被拒绝的修改</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="303"/>
        <source>Nothing to look at: every change was taken as it was made.</source>
        <translation>没有需要处理的内容：所有修改均已按原样生效。</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="305"/>
        <source>Changes the centre did not take as they were made, newest first.</source>
        <translation>中心未按原样接受的修改，最新的在前。</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="307"/>
        <source>&amp;Apply mine again</source>
        <translation>重新应用我的修改(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="310"/>
        <source>&amp;Dismiss</source>
        <translation>知道了(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="310"/>
        <source>&amp;Keep theirs</source>
        <translation>保留对方的(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="311"/>
        <source>&amp;Open case</source>
        <translation>打开工单(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../console/ui/conflicts.py" line="312"/>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
</context>
<context>
    <name>FirstStartDialog</name>
    <message>
        <location filename="../../console/ui/first_start.py" line="32"/>
        <source>The server at %1 cannot be reached. Check the address and the network cable, then try again.</source>
        <translation>无法连接 %1 的服务器。请检查地址和网线后重试。</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="39"/>
        <source>The centre does not know this enrolment code, or it was used already or has expired. Ask your supervisor for a new one.</source>
        <translation>中心不认可此登记码，或该码已被使用、已过期。请向班长索取新的登记码。</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="44"/>
        <source>This account may not connect workstations: a supervisor or an administrator must sign in here.</source>
        <translation>此账号无权接入工作台：须由班长或管理员在此登录。</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="49"/>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="50"/>
        <source>This account is disabled. Ask your supervisor.</source>
        <translation>此账号已停用。请联系班长。</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="51"/>
        <source>Not a server address. Write it as IT gave it, like https://12345.example.gov.cn</source>
        <translation>不是有效的服务器地址。请按技术人员提供的格式填写，如 https://12345.example.gov.cn</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="56"/>
        <source>The centre refused: %1</source>
        <translation>中心拒绝：%1</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="73"/>
        <source>Welcome to the 12345 Hotline Console</source>
        <translation>欢迎使用 12345 热线坐席工作台</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="77"/>
        <source>Standa&amp;lone: cases stay on this computer</source>
        <translation>单机使用：工单只保存在本机(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="79"/>
        <source>C&amp;onnect to the centre</source>
        <translation>接入中心(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="88"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="91"/>
        <source>How does this workstation work?</source>
        <translation>本工作台如何使用？</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="104"/>
        <source>Before the first call, say who is at this seat.</source>
        <translation>接听第一个来电前，请登记本坐席的坐席号和姓名。</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="107"/>
        <source>Seat code</source>
        <translation>坐席号</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="112"/>
        <location filename="../../console/ui/first_start.py" line="119"/>
        <source>Your name</source>
        <translation>您的姓名</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="117"/>
        <source>Seat code (3 digits)</source>
        <translation>坐席号（3 位数字）</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="130"/>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="134"/>
        <source>Enrolment code</source>
        <translation>登记码</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="136"/>
        <source>Supervisor&apos;s user name</source>
        <translation>班长用户名</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="136"/>
        <source>Supervisor&apos;s password</source>
        <translation>班长密码</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="140"/>
        <source>The seat code comes from the centre. Give the enrolment code your supervisor made for this seat, or let a supervisor sign in here instead.</source>
        <translation>坐席号由中心分配。请填写班长为本坐席生成的登记码，或请班长在此登录。</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="149"/>
        <source>Server &amp;address</source>
        <translation>服务器地址(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="150"/>
        <source>&amp;Enrolment code</source>
        <translation>登记码(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="151"/>
        <source>or a supervisor&apos;s sign-in:</source>
        <translation>或由班长登录：</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="152"/>
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="153"/>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="162"/>
        <source>&amp;Connect</source>
        <translation>接入(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="162"/>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../console/ui/first_start.py" line="174"/>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <location filename="../../console/ui/case_views.py" line="166"/>
        <source>Type the caller&apos;s number to see their earlier cases.</source>
        <translation>输入来电号码，即可查看该号码的历史工单。</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_views.py" line="168"/>
        <source>No earlier cases for %1.</source>
        <translation>%1 没有历史工单。</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_views.py" line="170"/>
        <source>Earlier cases of %1 (open first):</source>
        <translation>%1 的历史工单（未办结的在前）：</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_views.py" line="171"/>
        <source>Repeat caller: called in the last 30 days.</source>
        <translation>重复来电：该号码近 30 天内曾来电。</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_views.py" line="173"/>
        <source>Offline: may be incomplete. Cases taken at other seats meanwhile are missing.</source>
        <translation>离线：可能不完整。离线期间其他坐席受理的工单未显示。</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_views.py" line="175"/>
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
        <location filename="../../console/ui/intake_panel.py" line="321"/>
        <source>SLA rule %1: %2</source>
        <translation>时限规则 %1：%2</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="326"/>
        <source>Suggested by routing rule %1 (line %2): %3</source>
        <translation>派单规则 %1（第 %2 行）建议：%3</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="331"/>
        <source>Chosen by you; the rules suggest %1.</source>
        <translation>由您选定；规则建议为 %1。</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="373"/>
        <location filename="../../console/ui/intake_panel.py" line="465"/>
        <source>Saved. Case number:</source>
        <translation>已保存。工单编号：</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="384"/>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="438"/>
        <source>Caller &amp;phone</source>
        <translation>来电号码(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="439"/>
        <source>Appeal t&amp;ype</source>
        <translation>诉求类型(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="443"/>
        <source>C&amp;ommunity</source>
        <translation>社区（村）(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="447"/>
        <source>Caller na&amp;me</source>
        <translation>来电人姓名(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="453"/>
        <source>A&amp;ssisting agencies</source>
        <translation>协办单位(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="454"/>
        <source>Deadli&amp;ne</source>
        <translation>办理时限(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="440"/>
        <source>&amp;Category</source>
        <translation>问题分类(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="441"/>
        <source>&amp;District</source>
        <translation>区(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="442"/>
        <source>S&amp;treet / township</source>
        <translation>街道（乡镇）(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="444"/>
        <source>&amp;Address</source>
        <translation>详细地址(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="445"/>
        <source>D&amp;escription</source>
        <translation>诉求内容(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="446"/>
        <source>&amp;Urgency</source>
        <translation>紧急程度(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="448"/>
        <source>Call&amp;back number</source>
        <translation>回拨号码(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="449"/>
        <source>Caller</source>
        <translation>来电人</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="450"/>
        <source>Handling</source>
        <translation>办理方式</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="451"/>
        <source>Ans&amp;wer given</source>
        <translation>答复内容(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="452"/>
        <source>&amp;Lead agency</source>
        <translation>主办单位(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="459"/>
        <source>Save (Ctrl+S)</source>
        <translation>保存 (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="460"/>
        <source>New call (Ctrl+N)</source>
        <translation>新来电 (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="461"/>
        <source>Save case</source>
        <translation>保存工单</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="462"/>
        <source>New call</source>
        <translation>新来电</translation>
    </message>
    <message>
        <location filename="../../console/ui/intake_panel.py" line="463"/>
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
        <location filename="../../console/ui/labels.py" line="85"/>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="86"/>
        <source>Category</source>
        <translation>问题分类</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="87"/>
        <source>District</source>
        <translation>区</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="88"/>
        <source>Street</source>
        <translation>街道（乡镇）</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="89"/>
        <source>Community</source>
        <translation>社区（村）</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="90"/>
        <source>Address</source>
        <translation>详细地址</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="91"/>
        <source>Description</source>
        <translation>诉求内容</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="92"/>
        <source>Caller name</source>
        <translation>来电人姓名</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="93"/>
        <source>Callback number</source>
        <translation>回拨号码</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="94"/>
        <source>Lead agency</source>
        <translation>主办单位</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="95"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="96"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="103"/>
        <source>Required.</source>
        <translation>必填。</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="104"/>
        <source>Not a valid phone number: mobile, or fixed line with or without area code.</source>
        <translation>不是有效的电话号码：请填写手机号码或固定电话（可带区号）。</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="107"/>
        <source>Too short: describe the request in at least a few words.</source>
        <translation>内容过短：请用几句话说明诉求。</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="110"/>
        <source>Too long.</source>
        <translation>内容过长。</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="111"/>
        <source>Say where: a district or an address.</source>
        <translation>请填写地点：区或详细地址。</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="112"/>
        <source>Unknown agency.</source>
        <translation>未找到该单位。</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="113"/>
        <source>A seat code is three digits, 001 to 999.</source>
        <translation>坐席号为三位数字，001 至 999。</translation>
    </message>
    <message>
        <location filename="../../console/ui/labels.py" line="115"/>
        <source>Not accepted.</source>
        <translation>不符合要求。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../console/ui/app.py" line="93"/>
        <source>The centre disabled your account, so you were signed out. Your unsent work is kept and is sent when someone signs in at this seat.</source>
        <translation>中心已停用您的账号，您已退出登录。未发送的内容仍保留在本机，有人在本坐席登录后即会发送。</translation>
    </message>
    <message>
        <location filename="../../console/ui/app.py" line="99"/>
        <source>The centre did not accept your sign-in, so you were signed out. Your unsent work is kept and is sent when someone signs in at this seat.</source>
        <translation>中心未接受您的登录，您已退出登录。未发送的内容仍保留在本机，有人在本坐席登录后即会发送。</translation>
    </message>
    <message>
        <location filename="../../console/ui/app.py" line="104"/>
        <source>Your session ended. Sign in again; nothing saved is lost.</source>
        <translation>您的登录已失效。请重新登录；已保存的内容不会丢失。</translation>
    </message>
    <message>
        <location filename="../../console/ui/app.py" line="329"/>
        <source>Cannot start</source>
        <translation>无法启动</translation>
    </message>
    <message>
        <location filename="../../console/ui/app.py" line="331"/>
        <source>The local database in %1 could not be opened: %2</source>
        <translation>无法打开 %1 中的本地数据库：%2</translation>
    </message>
    <message>
        <location filename="../../console/ui/app.py" line="347"/>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <location filename="../../console/ui/app.py" line="349"/>
        <source>Something went wrong: %1
Saved cases are safe. Details are in %2.</source>
        <translation>程序出错：%1
已保存的工单不受影响。详细信息见 %2。</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="37"/>
        <source>new case</source>
        <translation>新工单</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="38"/>
        <source>change to a case</source>
        <translation>工单修改</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="39"/>
        <source>note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="275"/>
        <source>… and %1 more</source>
        <translation>… 另有 %1 项</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="278"/>
        <source>Changes not sent yet</source>
        <translation>尚有内容未发送</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="283"/>
        <source>Saved on this computer but not yet sent to the centre: %1. They are sent the next time the console starts here.</source>
        <translation>已保存在本机、尚未发送到中心的内容：%1 项。下次在本机启动工作台时会自动发送。</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="290"/>
        <source>&amp;Quit anyway</source>
        <translation>仍然退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="291"/>
        <source>&amp;Stay</source>
        <translation>留下(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="309"/>
        <source>12345 Hotline Console</source>
        <translation>12345 热线坐席工作台</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="310"/>
        <source>&amp;Intake</source>
        <translation>受理(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="311"/>
        <source>Lan&amp;guage</source>
        <translation>语言(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="312"/>
        <source>&amp;New call</source>
        <translation>新来电(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="313"/>
        <source>&amp;Save case</source>
        <translation>保存工单(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="314"/>
        <source>Caller &amp;history</source>
        <translation>来电历史(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="315"/>
        <source>&amp;My cases</source>
        <translation>我的工单(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="316"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="317"/>
        <source>&amp;Centre</source>
        <translation>中心(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="318"/>
        <source>Conflicts &amp;inbox</source>
        <translation>冲突收件箱(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="319"/>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="320"/>
        <source>&amp;Connect to the centre…</source>
        <translation>接入中心(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="325"/>
        <source>Caller history</source>
        <translation>来电历史</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="326"/>
        <source>My cases</source>
        <translation>我的工单</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="330"/>
        <source>Seat %1 · nobody signed in</source>
        <translation>坐席 %1 · 尚无人登录</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="332"/>
        <source>Opening the local database…</source>
        <translation>正在打开本地数据库…</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="335"/>
        <source>Seat %1 · %2</source>
        <translation>坐席 %1 · %2</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="341"/>
        <source>Signed in offline: the centre cannot be reached, so your password was checked on this computer. It is checked again when the centre is back.</source>
        <translation>离线登录：无法连接中心，您的密码已在本机核验。与中心恢复连接后将再次核验。</translation>
    </message>
    <message>
        <location filename="../../console/ui/main_window.py" line="350"/>
        <source>Reference data file %1, line %2: %3. The previous data stays in use.</source>
        <translation>基础数据文件 %1 第 %2 行：%3。继续使用原有数据。</translation>
    </message>
</context>
<context>
    <name>MyCasesPanel</name>
    <message>
        <location filename="../../console/ui/case_views.py" line="218"/>
        <source>Cases of this seat: today&apos;s and every open one.</source>
        <translation>本坐席的工单：今天的全部工单，以及所有未办结的工单。</translation>
    </message>
    <message>
        <location filename="../../console/ui/case_views.py" line="219"/>
        <source>My cases</source>
        <translation>我的工单</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../console/ui/sign_in.py" line="27"/>
        <source>Sign in · seat %1</source>
        <translation>登录 · 坐席 %1</translation>
    </message>
    <message>
        <location filename="../../console/ui/sign_in.py" line="30"/>
        <source>Sign in with your own account for this shift.</source>
        <translation>请用您本人的账号登录本班次。</translation>
    </message>
    <message>
        <location filename="../../console/ui/sign_in.py" line="37"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../console/ui/sign_in.py" line="37"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../console/ui/sign_in.py" line="41"/>
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../console/ui/sign_in.py" line="42"/>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../console/ui/sign_in.py" line="44"/>
        <source>&amp;Sign in</source>
        <translation>登录(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../console/ui/sign_in.py" line="43"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../console/ui/sign_in.py" line="58"/>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <location filename="../../console/ui/sign_in.py" line="71"/>
        <source>Too many tries. Wait %1 seconds, then try again.</source>
        <translation>尝试次数过多。请等待 %1 秒后再试。</translation>
    </message>
    <message>
        <location filename="../../console/ui/sign_in.py" line="73"/>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <location filename="../../console/ui/sign_in.py" line="75"/>
        <source>The centre cannot be reached, and you have never signed in at this workstation, so it cannot check your password. Try again when the network is back, or use a workstation where you have signed in before.</source>
        <translation>无法连接中心，且您从未在本工作台登录过，因此无法核验密码。请在网络恢复后重试，或使用您登录过的工作台。</translation>
    </message>
    <message>
        <location filename="../../console/ui/sign_in.py" line="79"/>
        <source>This account is disabled. Ask your supervisor.</source>
        <translation>此账号已停用。请联系班长。</translation>
    </message>
    <message>
        <location filename="../../console/ui/sign_in.py" line="81"/>
        <source>This account cannot sign in at a workstation. Ask your supervisor which account to use.</source>
        <translation>此账号不能在工作台登录。请向班长确认应使用的账号。</translation>
    </message>
    <message>
        <location filename="../../console/ui/sign_in.py" line="84"/>
        <source>The centre cannot be reached. Try again in a moment.</source>
        <translation>无法连接中心。请稍后重试。</translation>
    </message>
    <message>
        <location filename="../../console/ui/sign_in.py" line="85"/>
        <source>This workstation is not connected to the centre.</source>
        <translation>本工作台尚未接入中心。</translation>
    </message>
    <message>
        <location filename="../../console/ui/sign_in.py" line="87"/>
        <source>Sign-in refused: %1</source>
        <translation>登录被拒绝：%1</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location filename="../../console/ui/sync_status.py" line="93"/>
        <source>Conflicts: %1 (Ctrl+I)</source>
        <translation>冲突：%1 (Ctrl+I)</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="99"/>
        <source>Left this copy: %1 (+%2 earlier)</source>
        <translation>已移出本机：%1（另有 %2 张）</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="101"/>
        <source>Left this copy: %1</source>
        <translation>已移出本机：%1</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="104"/>
        <source>Cases that left this console&apos;s copy (reassigned elsewhere or closed):</source>
        <translation>已移出本机副本的工单（已转交他处或已办结）：</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="111"/>
        <source>Local database · no server configured</source>
        <translation>本地数据库 · 未配置服务器</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="113"/>
        <source>Not connected to the centre yet</source>
        <translation>尚未接入中心</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="115"/>
        <source>Signed out · nothing is sent until someone signs in</source>
        <translation>已退出登录 · 有人登录后才会发送</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="121"/>
        <source>Downloading cases: %1</source>
        <translation>正在下载工单：%1</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="123"/>
        <source>Downloading cases: %1 of %2</source>
        <translation>正在下载工单：%1 / %2</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="123"/>
        <source>Syncing: %1 of %2 changes sent</source>
        <translation>正在同步：已发送 %1 / %2 项</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="125"/>
        <source>Offline since %1</source>
        <translation>自 %1 起离线</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="127"/>
        <source>Online · last synced %1</source>
        <translation>在线 · 最近同步 %1</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="131"/>
        <source>%1 waiting, oldest %2 min</source>
        <translation>%1 项待发送，最早的已等 %2 分钟</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="137"/>
        <source>Sync stopped: your account was disabled. Your unsent work is kept; ask your supervisor.</source>
        <translation>同步已停止：您的账号已被停用。未发送的内容仍保留；请联系班长。</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="141"/>
        <source>Sync stopped: the centre did not accept your sign-in. Your unsent work is kept; sign in again.</source>
        <translation>同步已停止：中心未接受您的登录。未发送的内容仍保留；请重新登录。</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="144"/>
        <source>Sync stopped: your session ended. Sign in again.</source>
        <translation>同步已停止：登录已失效。请重新登录。</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="146"/>
        <source>Sync stopped: the centre retired this workstation. Connect it again (Centre menu).</source>
        <translation>同步已停止：中心已注销本工作台。请重新接入（“中心”菜单）。</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="149"/>
        <source>Sync stopped: the server refused a request. Call IT support; the details are in the log.</source>
        <translation>同步已停止：服务器拒绝了请求。请联系技术支持；详细信息见日志。</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="153"/>
        <source>Sync stopped: the server is older than this console. Call IT support.</source>
        <translation>同步已停止：服务器版本低于本工作台。请联系技术支持。</translation>
    </message>
    <message>
        <location filename="../../console/ui/sync_status.py" line="157"/>
        <source>Sync stopped. Call IT support; the details are in the log.</source>
        <translation>同步已停止。请联系技术支持；详细信息见日志。</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <location filename="../../console/ui/models.py" line="237"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="238"/>
        <source>Event</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../console/ui/models.py" line="239"/>
        <source>By</source>
        <translation>操作人</translation>
    </message>
</context>
</TS>
