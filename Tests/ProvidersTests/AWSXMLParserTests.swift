import Testing

@testable import Providers

@Suite("AWS XML reader")
struct AWSXMLParserTests {
    private func parse(_ text: String) throws -> AWSXMLElement {
        try AWSXMLParser.parse(Array(text.utf8))
    }

    private func rejects(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: AWSXMLSyntaxError.self, "\(text)", sourceLocation: sourceLocation) { try parse(text) }
    }

    @Test("elements, text, entities, CDATA, comments, attributes and prefixes")
    func reads() throws {
        let root = try parse(
            """
            \u{FEFF}<?xml version="1.0" encoding="UTF-8"?>
            <!-- leading comment -->
            <ec2:Root xmlns:ec2="http://ec2.amazonaws.com/doc/2016-11-15/" note='a > b'>
              <a>x &amp; y &lt;z&gt; &quot;q&quot; &apos;s&apos; &#233;&#x20AC;</a>
              <b><![CDATA[<raw> & stuff]]></b>
              <!-- inner comment -->
              <c/>
              <ec2:d attr="1" />
              <e>  padded  </e>
            </ec2:Root>
            <?trailing instruction?>
            """)
        #expect(root.name == "Root")
        #expect(root.children.map(\.name) == ["a", "b", "c", "d", "e"])
        #expect(root.childText("a") == "x & y <z> \"q\" 's' \u{E9}\u{20AC}")
        #expect(root.childText("b") == "<raw> & stuff")
        #expect(root.childText("c") == "")
        #expect(root.childText("e") == "padded")
        #expect(root.child("missing") == nil)
    }

    @Test("not well-formed documents are refused")
    func refuses() {
        rejects("")
        rejects("   ")
        rejects("<a>")
        rejects("<a><b></a>")
        rejects("<a></b>")
        rejects("<a>text</a><b/>")
        rejects("<a/>trailing")
        rejects("text<a/>")
        rejects("<a>&bogus;</a>")
        rejects("<a>&amp</a>")
        rejects("<a>&#xZZ;</a>")
        rejects("<a attr=unquoted/>")
        rejects("<a attr=\"open/>")
        rejects("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>")
        rejects("<a><!-- open comment</a>")
        rejects("<a><![CDATA[open</a>")
        rejects("<a></a")
        rejects("<>x</>")
    }

    @Test("deep nesting does not recurse")
    func deep() throws {
        let depth = 20_000
        let text = String(repeating: "<n>", count: depth) + "x" + String(repeating: "</n>", count: depth)
        var node = try parse(text)
        var levels = 1
        while let child = node.children.first {
            node = child
            levels += 1
        }
        #expect(levels == depth)
        #expect(node.text == "x")
    }
}
