import DRPostgres
import Testing

/// Settings as PostgreSQL stores them (`name=value`) turned back into `SET` clauses, the
/// way pg_dump writes them: list variables item by item, everything else one literal.
struct StoredSettingTests {
  @Test(arguments: [
    ("work_mem=8MB", #""work_mem" TO '8MB'"#),
    ("TimeZone=Asia/Tokyo", #""TimeZone" TO 'Asia/Tokyo'"#),
    (#"search_path="Sales Q1", public"#, #""search_path" TO 'Sales Q1', 'public'"#),
    (#"search_path="it""s", "$user""#, #""search_path" TO 'it"s', '$user'"#),
    (#"search_path="""#, #""search_path" TO ''"#),
    ("app.motto=it's=fine", #""app.motto" TO 'it''s=fine'"#),
    ("statement_timeout=", #""statement_timeout" TO ''"#),
    (#"search_path="unclosed"#, #""search_path" TO '"unclosed'"#),
  ])
  func clauses(stored: String, clause: String) throws {
    let setting = try #require(StoredSetting(stored))
    #expect(setting.clause == clause)
  }

  @Test func textWithoutAnEqualsSignIsNoSetting() {
    #expect(StoredSetting("work_mem") == nil)
  }
}
