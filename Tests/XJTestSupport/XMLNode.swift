import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML (or well-formed HTML) document as a tree, for tests that look inside SVG and reports.
public final class XMLNode {
    public let name: String
    public let attributes: [String: String]
    public private(set) var children: [XMLNode] = []
    public fileprivate(set) var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses a document; throws with the parser's line and column when it is not well-formed.
    public static func parse(_ text: String) throws -> XMLNode {
        let builder = Builder()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw ParseError(description: "not well-formed at line \(parser.lineNumber), column \(parser.columnNumber): \(parser.parserError.map { "\($0)" } ?? "?")")
        }
        return root
    }

    /// Every node below this one (depth first), this one included.
    public var descendants: [XMLNode] { [self] + children.flatMap(\.descendants) }

    /// Descendants with an element name and, optionally, a class among their classes.
    public func all(_ name: String, class className: String? = nil) -> [XMLNode] {
        descendants.filter { node in
            node.name == name && (className.map { (node.attributes["class"] ?? "").split(separator: " ").contains(Substring($0)) } ?? true)
        }
    }

    /// The text of this node and all below it.
    public var allText: String { text + children.map(\.allText).joined() }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLNode?
        var stack: [XMLNode] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            let node = XMLNode(name: name, attributes: attributes)
            if let parent = stack.last { parent.children.append(node) } else { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
}
