BEGIN TRANSACTION;
CREATE TABLE accounts (
	id VARCHAR(36) NOT NULL, 
	username VARCHAR(50) NOT NULL, 
	display_name VARCHAR(50) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	agency_code VARCHAR(64) DEFAULT '' NOT NULL, 
	password_hash VARCHAR(200) NOT NULL, 
	disabled BOOLEAN DEFAULT (false) NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_accounts PRIMARY KEY (id), 
	CONSTRAINT uq_accounts_username UNIQUE (username)
);
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO "alembic_version" VALUES('0004');
CREATE TABLE api_keys (
	id VARCHAR(36) NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	key_hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	revoked_at DATETIME, 
	CONSTRAINT pk_api_keys PRIMARY KEY (id), 
	CONSTRAINT uq_api_keys_key_hash UNIQUE (key_hash)
);
CREATE TABLE audit_log (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	actor VARCHAR(50) NOT NULL, 
	client_id VARCHAR(64) DEFAULT '' NOT NULL, 
	action VARCHAR(40) NOT NULL, 
	entity VARCHAR(16) NOT NULL, 
	entity_id VARCHAR(36) NOT NULL, 
	"before" JSON, 
	"after" JSON, 
	CONSTRAINT pk_audit_log PRIMARY KEY (id)
);
CREATE TABLE auth_sessions (
	id VARCHAR(36) NOT NULL, 
	account_id VARCHAR(36) NOT NULL, 
	client_id VARCHAR(36), 
	access_hash VARCHAR(64) NOT NULL, 
	access_expires DATETIME NOT NULL, 
	refresh_hash VARCHAR(64) NOT NULL, 
	refresh_expires DATETIME NOT NULL, 
	created_at DATETIME NOT NULL, 
	revoked BOOLEAN DEFAULT (false) NOT NULL, 
	CONSTRAINT pk_auth_sessions PRIMARY KEY (id), 
	CONSTRAINT fk_auth_sessions_account_id_accounts FOREIGN KEY(account_id) REFERENCES accounts (id), 
	CONSTRAINT uq_auth_sessions_access_hash UNIQUE (access_hash), 
	CONSTRAINT uq_auth_sessions_refresh_hash UNIQUE (refresh_hash)
);
CREATE TABLE case_assisting_agencies (
	case_id VARCHAR(36) NOT NULL, 
	agency_code VARCHAR(64) NOT NULL, 
	agency_name VARCHAR(100) NOT NULL, 
	CONSTRAINT pk_case_assisting_agencies PRIMARY KEY (case_id, agency_code), 
	CONSTRAINT fk_case_assisting_agencies_case_id_cases FOREIGN KEY(case_id) REFERENCES cases (id)
);
CREATE TABLE case_events (
	id VARCHAR(36) NOT NULL, 
	case_id VARCHAR(36) NOT NULL, 
	at DATETIME NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	actor VARCHAR(50) NOT NULL, 
	seat_code VARCHAR(3) NOT NULL, 
	detail TEXT NOT NULL, 
	CONSTRAINT pk_case_events PRIMARY KEY (id), 
	CONSTRAINT fk_case_events_case_id_cases FOREIGN KEY(case_id) REFERENCES cases (id)
);
INSERT INTO "case_events" VALUES('01a236c3-2585-7acc-9b2f-a3f456a84b92','01a236c3-2580-7044-a78d-e81990aa799c','2026-12-01 02:00:00.000000','created','王芳','007','2612010070001');
INSERT INTO "case_events" VALUES('01a236c3-2586-7423-9166-3937caa65fe2','01a236c3-2580-7044-a78d-e81990aa799c','2026-12-01 02:00:00.000000','dispatched','王芳','007','三里屯街道办事处');
INSERT INTO "case_events" VALUES('01a236c3-258d-7769-b517-8d9cb54c2932','01a236c3-258a-7138-bd9a-3a404f8659a0','2026-12-01 02:00:00.000000','created','王芳','007','2612010070002');
INSERT INTO "case_events" VALUES('01a236c3-258e-7699-8a2a-fe8db628d14a','01a236c3-258a-7138-bd9a-3a404f8659a0','2026-12-01 02:00:00.000000','answered','王芳','007','');
CREATE TABLE case_notes (
	id VARCHAR(36) NOT NULL, 
	case_id VARCHAR(36) NOT NULL, 
	at DATETIME NOT NULL, 
	author VARCHAR(50) NOT NULL, 
	seat_code VARCHAR(3) NOT NULL, 
	text TEXT NOT NULL, 
	CONSTRAINT pk_case_notes PRIMARY KEY (id), 
	CONSTRAINT fk_case_notes_case_id_cases FOREIGN KEY(case_id) REFERENCES cases (id)
);
CREATE TABLE "cases" (
	id VARCHAR(36) NOT NULL, 
	case_no VARCHAR(16) NOT NULL, 
	client_id VARCHAR(36) NOT NULL, 
	seat_code VARCHAR(3) NOT NULL, 
	operator VARCHAR(50) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	version INTEGER NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	appeal_type VARCHAR(16) NOT NULL, 
	urgency VARCHAR(16) NOT NULL, 
	handling VARCHAR(16) NOT NULL, 
	category_code VARCHAR(6) NOT NULL, 
	category_path VARCHAR(200) NOT NULL, 
	district_code VARCHAR(64) DEFAULT ('') NOT NULL, 
	district_name VARCHAR(64) DEFAULT ('') NOT NULL, 
	street_code VARCHAR(64) DEFAULT ('') NOT NULL, 
	street_name VARCHAR(64) DEFAULT ('') NOT NULL, 
	community VARCHAR(64) DEFAULT ('') NOT NULL, 
	address VARCHAR(200) NOT NULL, 
	description TEXT NOT NULL, 
	answer_text TEXT NOT NULL, 
	caller_phone VARCHAR(20) NOT NULL, 
	caller_name VARCHAR(64) DEFAULT ('') NOT NULL, 
	callback_phone VARCHAR(20) NOT NULL, 
	confidential BOOLEAN DEFAULT (false) NOT NULL, 
	anonymous BOOLEAN DEFAULT (false) NOT NULL, 
	lead_agency_code VARCHAR(64) DEFAULT ('') NOT NULL, 
	lead_agency_name VARCHAR(100) NOT NULL, 
	routing_reason VARCHAR(300) NOT NULL, 
	deadline_at DATETIME, 
	deadline_reason VARCHAR(200) NOT NULL, 
	owner VARCHAR(64) DEFAULT '' NOT NULL, 
	field_versions JSON DEFAULT '{}' NOT NULL, 
	extension_until DATETIME, 
	return_reason VARCHAR(64) DEFAULT '' NOT NULL, 
	reply_text TEXT DEFAULT '' NOT NULL, 
	solved VARCHAR(64) DEFAULT '' NOT NULL, 
	satisfied VARCHAR(64) DEFAULT '' NOT NULL, 
	merged_into VARCHAR(64) DEFAULT '' NOT NULL, received_at DATETIME, 
	CONSTRAINT pk_cases PRIMARY KEY (id), 
	CONSTRAINT uq_cases_case_no UNIQUE (case_no)
);
INSERT INTO "cases" VALUES('01a236c3-2580-7044-a78d-e81990aa799c','2612010070001','17948c19-28ad-4f01-8592-6af5b8fc2d5e','007','王芳','2026-12-01 02:00:00.000000','2026-12-01 02:00:00.000000',1,'dispatched','complaint','normal','dispatch','010101','城市管理 › 市容环境 › 占道经营','110105','朝阳区','110105004','三里屯街道','幸福村社区','三里屯路19号南侧人行道','每天傍晚有商贩在人行道上摆摊卖水果，行人只能走到机动车道上。','','+8613800138000','张先生','',0,0,'S110105004','三里屯街道办事处','R002 · 占道经营属街乡属地管理，由街道（乡镇）主办','2026-12-08 02:00:00.000000','一般诉求 7天','','{}',NULL,'','','','','',NULL);
INSERT INTO "cases" VALUES('01a236c3-258a-7138-bd9a-3a404f8659a0','2612010070002','17948c19-28ad-4f01-8592-6af5b8fc2d5e','007','王芳','2026-12-01 02:00:00.000000','2026-12-01 02:00:00.000000',1,'answered','consultation','normal','direct_answer','160301','政务服务 › 税收 › 个人所得税','','','','','','','想问一下个人所得税专项附加扣除在哪里填报。','可以在个人所得税App的专项附加扣除填报页面填写，也可以通过单位代为填报。','+8613800138000','','',0,0,'','','',NULL,'','','{}',NULL,'','','','','',NULL);
CREATE TABLE change_log (
	seq INTEGER NOT NULL, 
	xid BIGINT, 
	entity VARCHAR(16) NOT NULL, 
	entity_id VARCHAR(36) NOT NULL, 
	at DATETIME NOT NULL, 
	CONSTRAINT pk_change_log PRIMARY KEY (seq)
);
CREATE TABLE conflicts (
	id VARCHAR(36) NOT NULL, 
	case_id VARCHAR(36) NOT NULL, 
	client_id VARCHAR(36) NOT NULL, 
	mid INTEGER NOT NULL, 
	field VARCHAR(40) NOT NULL, 
	yours JSON, 
	kept JSON, 
	kept_by VARCHAR(64) DEFAULT '' NOT NULL, 
	at DATETIME NOT NULL, 
	CONSTRAINT pk_conflicts PRIMARY KEY (id)
);
CREATE TABLE console_meta (
	"key" VARCHAR(40) NOT NULL, 
	value TEXT NOT NULL, 
	CONSTRAINT pk_console_meta PRIMARY KEY ("key")
);
INSERT INTO "console_meta" VALUES('client_id','17948c19-28ad-4f01-8592-6af5b8fc2d5e');
INSERT INTO "console_meta" VALUES('seat_code','007');
INSERT INTO "console_meta" VALUES('operator','王芳');
CREATE TABLE "consoles" (
	client_id VARCHAR(36) NOT NULL, 
	seat_code VARCHAR(3) NOT NULL, 
	enrolled_by VARCHAR(50) NOT NULL, 
	enrolled_at DATETIME NOT NULL, 
	last_mid INTEGER NOT NULL, 
	last_seen DATETIME, 
	secret_hash VARCHAR(64), 
	retired_at DATETIME, 
	CONSTRAINT pk_consoles PRIMARY KEY (client_id)
);
CREATE TABLE daily_counters (
	day VARCHAR(8) NOT NULL, 
	last_seq INTEGER NOT NULL, 
	CONSTRAINT pk_daily_counters PRIMARY KEY (day)
);
INSERT INTO "daily_counters" VALUES('20261201',2);
CREATE TABLE drafts (
	slot VARCHAR(40) NOT NULL, 
	payload TEXT NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_drafts PRIMARY KEY (slot)
);
INSERT INTO "drafts" VALUES('intake','{"caller_phone": "13900139000", "description": "没说完"}','2026-12-01 02:00:00.000000');
CREATE TABLE enrol_codes (
	code_hash VARCHAR(64) NOT NULL, 
	seat_code VARCHAR(3) DEFAULT '' NOT NULL, 
	created_by VARCHAR(50) NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	used_at DATETIME, 
	used_by VARCHAR(36) DEFAULT '' NOT NULL, 
	CONSTRAINT pk_enrol_codes PRIMARY KEY (code_hash)
);
CREATE TABLE login_failures (
	"key" VARCHAR(200) NOT NULL, 
	window_start DATETIME NOT NULL, 
	failures INTEGER NOT NULL, 
	CONSTRAINT pk_login_failures PRIMARY KEY ("key")
);
CREATE TABLE mutation_results (
	client_id VARCHAR(36) NOT NULL, 
	mid INTEGER NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	body JSON NOT NULL, 
	at DATETIME NOT NULL, digest VARCHAR(64) DEFAULT '' NOT NULL, 
	CONSTRAINT pk_mutation_results PRIMARY KEY (client_id, mid), 
	CONSTRAINT fk_mutation_results_client_id_consoles FOREIGN KEY(client_id) REFERENCES consoles (client_id)
);
CREATE TABLE open311_tokens (
	token VARCHAR(36) NOT NULL, 
	case_id VARCHAR(36) NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_open311_tokens PRIMARY KEY (token)
);
CREATE TABLE outbox (
	mid INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	name VARCHAR(40) NOT NULL, 
	args TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	state VARCHAR(16) NOT NULL
);
INSERT INTO "outbox" VALUES(1,'case.create','{"id": "01a236c3-2580-7044-a78d-e81990aa799c", "client_id": "17948c19-28ad-4f01-8592-6af5b8fc2d5e", "seat_code": "007", "operator": "王芳", "created_at": "2026-12-01T02:00:00+00:00", "updated_at": "2026-12-01T02:00:00+00:00", "version": 1, "status": "dispatched", "appeal_type": "complaint", "urgency": "normal", "handling": "dispatch", "category_code": "010101", "category_path": "城市管理 › 市容环境 › 占道经营", "district_code": "110105", "district_name": "朝阳区", "street_code": "110105004", "street_name": "三里屯街道", "community": "幸福村社区", "address": "三里屯路19号南侧人行道", "description": "每天傍晚有商贩在人行道上摆摊卖水果，行人只能走到机动车道上。", "answer_text": "", "caller_phone": "+8613800138000", "caller_name": "张先生", "callback_phone": "", "confidential": false, "anonymous": false, "lead_agency_code": "S110105004", "lead_agency_name": "三里屯街道办事处", "routing_reason": "R002 · 占道经营属街乡属地管理，由街道（乡镇）主办", "deadline_at": "2026-12-08T02:00:00+00:00", "deadline_reason": "一般诉求 7天", "case_no": "2612010070001", "assisting_agencies": []}','2026-12-01 02:00:00.000000','pending');
INSERT INTO "outbox" VALUES(2,'case.create','{"id": "01a236c3-258a-7138-bd9a-3a404f8659a0", "client_id": "17948c19-28ad-4f01-8592-6af5b8fc2d5e", "seat_code": "007", "operator": "王芳", "created_at": "2026-12-01T02:00:00+00:00", "updated_at": "2026-12-01T02:00:00+00:00", "version": 1, "status": "answered", "appeal_type": "consultation", "urgency": "normal", "handling": "direct_answer", "category_code": "160301", "category_path": "政务服务 › 税收 › 个人所得税", "district_code": "", "district_name": "", "street_code": "", "street_name": "", "community": "", "address": "", "description": "想问一下个人所得税专项附加扣除在哪里填报。", "answer_text": "可以在个人所得税App的专项附加扣除填报页面填写，也可以通过单位代为填报。", "caller_phone": "+8613800138000", "caller_name": "", "callback_phone": "", "confidential": false, "anonymous": false, "lead_agency_code": "", "lead_agency_name": "", "routing_reason": "", "deadline_at": null, "deadline_reason": "", "case_no": "2612010070002", "assisting_agencies": []}','2026-12-01 02:00:00.000000','pending');
CREATE TABLE spent_refresh_tokens (
	refresh_hash VARCHAR(64) NOT NULL, 
	session_id VARCHAR(36) NOT NULL, 
	spent_at DATETIME NOT NULL, 
	CONSTRAINT pk_spent_refresh_tokens PRIMARY KEY (refresh_hash), 
	CONSTRAINT fk_spent_refresh_tokens_session_id_auth_sessions FOREIGN KEY(session_id) REFERENCES auth_sessions (id)
);
CREATE INDEX ix_case_events_case_id ON case_events (case_id);
CREATE INDEX ix_case_notes_case_id ON case_notes (case_id);
CREATE INDEX ix_audit_log_entity_id ON audit_log (entity_id);
CREATE INDEX ix_change_log_xid_seq ON change_log (xid, seq);
CREATE INDEX ix_conflicts_case_id ON conflicts (case_id);
CREATE INDEX ix_auth_sessions_account_id ON auth_sessions (account_id);
CREATE INDEX ix_cases_open_by_seat ON cases (seat_code, created_at) WHERE status IN ('dispatched', 'accepted', 'returned', 'replied', 'reopened');
CREATE INDEX ix_cases_seat_code_created_at ON cases (seat_code, created_at);
CREATE INDEX ix_cases_caller_phone_created_at ON cases (caller_phone, created_at);
CREATE INDEX ix_cases_created_at ON cases (created_at);
CREATE INDEX ix_cases_lead_agency_code_created_at ON cases (lead_agency_code, created_at);
CREATE INDEX ix_cases_owner_created_at ON cases (owner, created_at);
CREATE INDEX ix_cases_status_deadline_at ON cases (status, deadline_at);
CREATE UNIQUE INDEX ux_consoles_seat_in_service ON consoles (seat_code) WHERE retired_at IS NULL;
CREATE INDEX ix_login_failures_window_start ON login_failures (window_start);
CREATE INDEX ix_spent_refresh_tokens_session_id ON spent_refresh_tokens (session_id);
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('outbox',2);
COMMIT;
