import BrokerCore
import Testing

/// One way to get a spec wrong, and the problem it must produce.
struct Rejection: Sendable, CustomTestStringConvertible {
    /// Top-level members to replace, add (json) or remove (nil) in the minimal spec.
    var changes: [String: String?]
    var field: String
    /// A fragment the message must contain.
    var message: String

    var testDescription: String { "\(field): \(message)" }

    static func resources(_ json: String, _ field: String, _ message: String) -> Rejection {
        Rejection(changes: ["resources": json], field: field, message: message)
    }

    static func member(_ key: String, _ json: String?, _ field: String, _ message: String) -> Rejection {
        Rejection(changes: [key: json], field: field, message: message)
    }
}

@Suite("Job spec rejections")
struct JobSpecRejectionTests {
    static let resourceRejections: [Rejection] = [
        .resources(#"{"gpu": ["H100"], "gpus_per_node": 8, "nodes": 0}"#, "resources.nodes", "must be at least 1"),
        .resources(#"{"gpu": ["H100"], "gpus_per_node": 8, "nodes": -3}"#, "resources.nodes", "must be at least 1"),
        .resources(#"{"gpu": ["H100"], "gpus_per_node": 8, "nodes": 5000}"#, "resources.nodes", "must be at most 1024"),
        .resources(
            #"{"gpu": ["H100"], "gpus_per_node": 8, "nodes": 99999999999999999999}"#, "resources.nodes",
            "must be at most 1024"),
        .resources(
            #"{"gpu": ["H100"], "gpus_per_node": 32, "nodes": 1}"#, "resources.gpus_per_node", "must be at most 16"),
        .resources(
            #"{"gpu": ["H100"], "gpus_per_node": 0, "nodes": 1}"#, "resources.gpus_per_node", "must be at least 1"),
        .resources(
            #"{"gpu": ["H100"], "gpus_per_node": "8", "nodes": 1}"#, "resources.gpus_per_node",
            "expected an integer, got a string"),
        .resources(
            #"{"gpu": ["H100"], "gpus_per_node": 8, "nodes": 2.5}"#, "resources.nodes",
            "expected an integer, got a fractional number"),
        .resources(
            #"{"gpu": ["H100"], "gpus_per_node": 8, "nodes": true}"#, "resources.nodes",
            "expected an integer, got a boolean"),
        .resources(
            #"{"gpu": ["H100"], "gpus_per_node": 8, "nodes": null}"#, "resources.nodes",
            "is required and cannot be null"
        ),
        .resources(#"{"gpu": ["H100"], "gpus_per_node": 8}"#, "resources.nodes", "is required"),
        .resources(#"{"gpus_per_node": 8, "nodes": 1}"#, "resources.gpu", "is required"),
        .resources(#"{"gpu": [], "gpus_per_node": 8, "nodes": 1}"#, "resources.gpu", "must list at least one"),
        .resources(
            #"{"gpu": ["H100", "H1000"], "gpus_per_node": 8, "nodes": 1}"#, "resources.gpu[1]",
            "unknown GPU model or family 'H1000'"),
        .resources(
            #"{"gpu": ["H100", "A100", "h100"], "gpus_per_node": 8, "nodes": 1}"#, "resources.gpu[2]",
            "'h100' repeats resources.gpu[0]"),
        .resources(
            #"{"gpu": "H100", "gpus_per_node": 8, "nodes": 1}"#, "resources.gpu", "expected an array, got a string"),
        .resources(
            #"{"gpu": [8], "gpus_per_node": 8, "nodes": 1}"#, "resources.gpu[0]", "expected a string, got a number"),
        .resources(
            #"{"gpu": ["H100"], "gpus_per_node": 8, "nodes": 1, "interconnect": "ethernet"}"#, "resources.interconnect",
            "must be one of pcie, nvlink, infiniband"),
        .resources(
            #"{"gpu": ["H100"], "gpus_per_node": 8, "nodes": 1, "min_gpu_memory_gb": 141}"#,
            "resources.min_gpu_memory_gb", "at most 94 GB"),
        .resources(
            #"{"gpu": ["H100"], "gpus_per_node": 8, "nodes": 1, "min_vcpus": -1}"#, "resources.min_vcpus",
            "must be at least 0"),
        .resources(
            #"{"gpu": ["H100"], "gpus_per_node": 8, "nodes": 1, "gpuz": 1}"#, "resources.gpuz", "unknown field 'gpuz'"),
        .resources(
            #"{"gpu": ["H100"], "gpusPerNode": 8, "gpus_per_node": 8, "nodes": 1}"#, "resources.gpusPerNode",
            "did you mean 'gpus_per_node'?"),
        .resources(#"["H100"]"#, "resources", "expected an object, got an array"),
    ]

    static let topLevelRejections: [Rejection] = [
        .member("name", nil, "name", "is required"),
        .member("name", #""""#, "name", "must not be empty"),
        .member("name", #""   ""#, "name", "must not be empty"),
        .member("name", "\"\(String(repeating: "x", count: 129))\"", "name", "at most 128 characters"),
        .member("name", #""red\u001b[31m""#, "name", "must not contain control characters"),
        .member("name", #""\u0000lora""#, "name", "must not contain control characters"),
        // One character on screen, 129 code points: the limit bounds the size, so it counts code points.
        .member("name", "\"e\(String(repeating: "\\u0301", count: 128))\"", "name", "at most 128 characters"),
        .member("name", "42", "name", "expected a string, got a number"),
        .member("image", #""""#, "image", "must not be empty"),
        .member("image", nil, "image", "is required"),
        .member("command", "[]", "command", "must not be empty"),
        .member("command", #"["", "x"]"#, "command[0]", "must not be empty"),
        .member("command", #""python train.py""#, "command", "expected an array, got a string"),
        .member("command", #"["python", 3]"#, "command[1]", "expected a string, got a number"),
        .member("command", "null", "command", "is required and cannot be null"),
        .member("market", #""cheap""#, "market", "must be one of spot, on_demand, auto, not 'cheap'"),
        .member("market", #""on-demand""#, "market", "must be one of"),
        .member("max_price_per_hour", "-1", "max_price_per_hour", "must be greater than 0"),
        .member("max_price_per_hour", "0", "max_price_per_hour", "must be greater than 0"),
        .member("max_price_per_hour", "0.0000001", "max_price_per_hour", "must be greater than 0"),
        .member("max_price_per_hour", #""40""#, "max_price_per_hour", "expected a number, got a string"),
        .member("max_price_per_hour", "99999999999999", "max_price_per_hour", "is too large"),
        .member("budget_usd", "1e3", "budget_usd", "without an exponent"),
        .member("budget_usd", "false", "budget_usd", "expected a number, got a boolean"),
        .member("deadline", #""2026-11-20T12:00:00Z""#, "deadline", "must be in the future"),
        .member("deadline", #""2026-11-21T20:00:00Z""#, "deadline", "must be in the future"),
        .member("deadline", #""next friday""#, "deadline", "is not an RFC 3339 timestamp"),
        .member("deadline", #""2026-02-30T00:00:00Z""#, "deadline", "is not an RFC 3339 timestamp"),
        .member("deadline", #""2026-12-04T24:00:00Z""#, "deadline", "is not an RFC 3339 timestamp"),
        .member("deadline", #""2026-12-04T18:00:00""#, "deadline", "is not an RFC 3339 timestamp"),
        .member("deadline", #""2026-12-04 18:00:00Z""#, "deadline", "is not an RFC 3339 timestamp"),
        .member("deadline", #""2026-12-04T18:00:00.Z""#, "deadline", "is not an RFC 3339 timestamp"),
        .member("deadline", "1796407200", "deadline", "expected a string, got a number"),
        .member("work", #"{"gpu_hours": 10, "reference_gpu": "Z9"}"#, "work.reference_gpu", "unknown GPU model 'Z9'"),
        .member("work", #"{"gpu_hours": 0}"#, "work.gpu_hours", "must be greater than 0"),
        .member("work", #"{"gpu_hours": 1e400}"#, "work.gpu_hours", "must be a finite number"),
        .member("work", #"{"gpu_hours": 1e10}"#, "work.gpu_hours", "must be at most"),
        .member("work", #"{"reference_gpu": "H100-SXM"}"#, "work.gpu_hours", "is required"),
        .member("dataset", #"{"uri": "s3://d", "shards": 0}"#, "dataset.shards", "must be at least 1"),
        .member("dataset", #"{"uri": "s3://d", "shards": 20000000}"#, "dataset.shards", "must be at most 10000000"),
        .member("dataset", #"{"shards": 8}"#, "dataset.uri", "is required"),
        .member(
            "checkpoint", #"{"uri": "s3://c", "interval_minutes": 0}"#, "checkpoint.interval_minutes", "at least 1"),
        .member(
            "checkpoint", #"{"uri": "s3://c", "interval_minutes": -5}"#, "checkpoint.interval_minutes", "at least 1"),
        .member("placement", #"{"countries": ["DEU"]}"#, "placement.countries[0]", "'DEU' is not a two-letter"),
        .member("placement", #"{"countries": ["DE", "D1"]}"#, "placement.countries[1]", "'D1' is not a two-letter"),
        .member("placement", #"{"countries": ["ÄÖ"]}"#, "placement.countries[0]", "is not a two-letter"),
        .member(
            "placement", #"{"countries": ["DE", "de"]}"#, "placement.countries[1]", "repeats placement.countries[0]"),
        .member(
            "placement", #"{"exclude_providers": ["vast", "vast"]}"#, "placement.exclude_providers[1]",
            "'vast' repeats placement.exclude_providers[0]"),
        .member("placement", #"{"exclude_providers": [""]}"#, "placement.exclude_providers[0]", "must not be empty"),
        .member("placement", #"{"same_region": "yes"}"#, "placement.same_region", "expected a boolean, got a string"),
        .member("placement", #"{"same_region": 1}"#, "placement.same_region", "expected a boolean, got a number"),
        .member("placement", "[]", "placement", "expected an object, got an array"),
        .member("env", #"{"FOO": 1}"#, "env.FOO", "expected a string, got a number"),
        .member("env", #"{"1BAD": "x"}"#, "env.1BAD", "not a valid environment variable name"),
        .member("env", #"{"A-B": "x"}"#, "env.A-B", "not a valid environment variable name"),
        .member("env", #"{"NODE_RANK": "3"}"#, "env.NODE_RANK", "set by the node agent"),
        .member("env", #"{"A": "1", "A": "2"}"#, "env.A", "appears more than once"),
        .member("env", #"["A=1"]"#, "env", "expected an object, got an array"),
        .member("gpus_per_node", "8", "gpus_per_node", "unknown field 'gpus_per_node'"),
        .member("Name", #""x""#, "Name", "did you mean 'name'?"),
    ]

    @Test("each mistake is reported at its field", arguments: resourceRejections + topLevelRejections)
    func rejection(_ rejection: Rejection) throws {
        let problems = JobSpecFixtures.problems(JobSpecFixtures.spec(rejection.changes))
        let problem = try #require(problems.first { $0.field == rejection.field }, "got \(problems)")
        #expect(problem.message.contains(rejection.message), "got \(problem.message)")
        #expect(problems.count == 1, "got \(problems)")
    }

    @Test(
        "malformed JSON is reported at the document with its position",
        arguments: [
            ("", "unexpected end of input"),
            ("{", "line 1, column 2"),
            (#"{"name": }"#, "expected a value"),
            (#"{"name": "x",}"#, "expected a string key"),
            (#"{"a": 1 "b": 2}"#, "expected ',' or '}'"),
            ("{} {}", "unexpected text after the JSON value"),
            (#"{"a": NaN}"#, "unexpected character 'N'"),
            (#"{"a": 01}"#, "expected ',' or '}'"),
            (#"{"a": 1.}"#, "expected a digit after '.'"),
            (#"{'a': 1}"#, "expected a string key"),
            (#"{"a": "\ud800"}"#, "unpaired surrogate"),
            (#"{"a": "\x"}"#, "invalid escape"),
            ("{\"a\": \"tab\there\"}", "unescaped control character"),
            (#"{"a": tru}"#, "invalid literal"),
            ("{\n  \"a\": 1,\n  \"b\": ]\n}", "line 3, column 8"),
            (String(repeating: "[", count: 100) + String(repeating: "]", count: 100), "nested deeper than 64 levels"),
        ]
    )
    func malformed(json: String, message: String) {
        let problems = JobSpecFixtures.problems(json)
        #expect(problems.count == 1)
        #expect(problems.first?.field == "")
        #expect(problems.first?.message.contains("malformed JSON") == true)
        #expect(problems.first?.message.contains(message) == true, "got \(problems)")
    }

    @Test("invalid UTF-8 inside a string is malformed JSON")
    func invalidUTF8() {
        let bytes = Array(#"{"name": ""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)
        #expect(
            throws: JobSpecError(errors: [
                FieldError(field: "", message: "malformed JSON at line 1, column 14: invalid UTF-8 in string")
            ])
        ) {
            try JobSpec.decode(json: bytes, now: JobSpecFixtures.now)
        }
    }

    @Test("a document that is not an object is refused", arguments: ["[]", "42", #""spec""#, "null", "true"])
    func notAnObject(json: String) {
        let problems = JobSpecFixtures.problems(json)
        #expect(problems.count == 1)
        #expect(problems.first?.field == "")
        #expect(problems.first?.message.hasPrefix("expected an object, got ") == true)
    }

    @Test("every problem is reported, not just the first")
    func many() {
        let json = """
            {"name": "", "resources": {"gpu": ["H100", "TPUv5"], "gpus_per_node": 0, "nodes": 2, "extra": 1},
             "market": "cheap", "max_price_per_hour": -2, "deadline": "2020-01-01T00:00:00Z",
             "dataset": {"uri": "s3://d", "shards": 0}, "command": [], "env": {"NNODES": "2"}, "colour": "blue"}
            """
        let problems = JobSpecFixtures.problems(json)
        #expect(
            problems.map(\.field) == [
                "name", "resources.gpu[1]", "resources.gpus_per_node", "resources.extra", "market",
                "max_price_per_hour", "deadline", "dataset.shards", "image", "command", "env.NNODES", "colour",
            ])
    }

    @Test("cross-field checks still run when another field of the section is wrong")
    func crossFieldWithOtherErrors() {
        let resources = #"{"gpu": ["L4", "A10"], "gpus_per_node": 0, "nodes": 1, "min_gpu_memory_gb": 48}"#
        let problems = JobSpecFixtures.problems(JobSpecFixtures.spec(["resources": resources]))
        #expect(problems.map(\.field) == ["resources.gpus_per_node", "resources.min_gpu_memory_gb"])
        #expect(problems.last?.message == "is more than any GPU in resources.gpu has (at most 24 GB)")
    }

    @Test("a repeated top-level key is reported even when both values are valid")
    func duplicateKey() {
        let problems = JobSpecFixtures.problems(#"{"name": "a", "name": "b""# + JobSpecFixtures.spec().dropFirst(15))
        #expect(problems == [FieldError(field: "name", message: "appears more than once")])
    }

    @Test("the error reads as one line of field: message pairs")
    func description() {
        let error = JobSpecError(errors: [
            FieldError(field: "resources.nodes", message: "must be at least 1"),
            FieldError(field: "", message: "expected an object, got an array"),
        ])
        #expect(error.description == "resources.nodes: must be at least 1; expected an object, got an array")
    }
}
