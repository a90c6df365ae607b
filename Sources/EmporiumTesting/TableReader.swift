/// Reads an exported table with third-party readers (`Tests/Fixtures/read_table.py`: openpyxl for
/// `.xlsx`, Python's `csv` for `.csv`) and answers its JSON: `rows`, and `sheet` or `bom`.
public enum TableReader {
    public static func read(_ path: String) throws -> [String: Any] {
        try FixtureScript.json("read_table.py", [path], install: "openpyxl missing? python3 -m pip install openpyxl")
    }
}
