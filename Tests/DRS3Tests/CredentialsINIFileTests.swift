import Testing

@testable import DRS3

struct CredentialsINIFileTests {
  @Test(arguments: [
    ("[default]\naws_access_key_id = AKID\n", "default", "aws_access_key_id", "AKID"),
    ("[default]\naws_access_key_id=AKID", "default", "aws_access_key_id", "AKID"),
    ("  [ default ]  \n\t aws_access_key_id \t=\t AKID \t\n", "default", "aws_access_key_id", "AKID"),
    ("[default]\r\naws_access_key_id = AKID\r\n", "default", "aws_access_key_id", "AKID"),
    ("[default]\nAWS_Access_Key_ID = AKID", "default", "aws_access_key_id", "AKID"),
    ("# comment\n; comment\n[default]\n# aws_access_key_id = no\nregion = eu-west-1", "default", "region", "eu-west-1"),
    ("[default]\nregion = eu-west-1 # Ireland", "default", "region", "eu-west-1"),
    ("[default]\nregion = eu-west-1 ; Ireland", "default", "region", "eu-west-1"),
    ("[default]\nregion = eu-west-1\t# Ireland", "default", "region", "eu-west-1"),
    ("[default]\nsecret = abc#def;ghi", "default", "secret", "abc#def;ghi"),
    ("[default]\nsecret = a+b/c=d==", "default", "secret", "a+b/c=d=="),
    ("[default] ; a comment after the header\nregion = x", "default", "region", "x"),
    ("[profile  spare]\nregion = x", "profile  spare", "region", "x"),
    ("[default]\nregion = a\n[default]\nregion = b", "default", "region", "b"),
    ("[default]\nregion = a\n[other]\nregion = b\n[default]\noutput = json", "default", "region", "a"),
    (
      "[default]\ns3 =\n  endpoint_url = http://h:1\n  addressing_style = path", "default", "s3.endpoint_url",
      "http://h:1"
    ),
    ("[default]\nnote = first\n  second", "default", "note", "first\nsecond"),
    ("[default]\nempty =\nregion = r", "default", "empty", ""),
    ("[default]\nquoted = \"x\"", "default", "quoted", "\"x\""),
  ])
  func parses(_ text: String, _ section: String, _ key: String, _ value: String) throws {
    let file = try INIFile(parsing: text)
    #expect(file[section]?[key] == value)
  }

  @Test func emptyAndCommentOnlyFilesHaveNoSections() throws {
    #expect(try INIFile(parsing: "").sections.isEmpty)
    #expect(try INIFile(parsing: "\n\n# nothing\n; here\n   \n").sections.isEmpty)
  }

  @Test func aSectionWithoutPropertiesExists() throws {
    #expect(try INIFile(parsing: "[empty]\n")["empty"] == [:])
  }

  @Test(arguments: [
    ("region = x\n", 1, "a property before any [section]"),
    ("[default]\nregion x\n", 2, "expected key = value"),
    ("# c\n[default\n", 2, "a section header without its closing ]"),
    ("[ ]\n", 1, "an empty section name"),
    ("[default]\n = x\n", 2, "a property without a name"),
  ])
  func malformedLinesAreReportedWithTheirNumber(_ text: String, _ line: Int, _ reason: String) {
    #expect(throws: INIFile.ParseError(line: line, reason: reason)) { try INIFile(parsing: text) }
  }

  @Test(arguments: [
    ("profile spare", "spare"), ("profile   spare  ", "spare"), ("profile\tspare", "spare"),
    ("profile default", "default"),
  ])
  func configSectionsNameProfiles(_ section: String, _ name: String) {
    #expect(SharedFiles.profileName(ofConfigSection: section) == name)
  }

  @Test(arguments: ["default", "profilespare", "spare", "sso-session corp", "services local"])
  func otherConfigSectionsAreNotProfiles(_ section: String) {
    #expect(SharedFiles.profileName(ofConfigSection: section) == nil)
  }
}
