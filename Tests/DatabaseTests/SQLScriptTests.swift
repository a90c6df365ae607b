@testable import Database
import Testing

@Suite("SQLScript splitting")
struct SQLScriptTests {
    private func split(_ text: String) -> [String] { SQLScript(text).statements.map(\.sql) }

    @Test func splitsOnSemicolonsAndDropsEmptyStatements() {
        #expect(self.split("CREATE TABLE a (id int);\n\nCREATE TABLE b (id int);;  \n-- trailing comment\n")
            == ["CREATE TABLE a (id int)", "CREATE TABLE b (id int)"])
        #expect(self.split("SELECT 1") == ["SELECT 1"])
        #expect(self.split("  -- only a comment\n/* and another */  ").isEmpty)
    }

    @Test func ignoresSemicolonsInStringsIdentifiersAndComments() {
        let sql = """
            INSERT INTO t VALUES ('a;b', 'it''s; fine', E'back\\';slash');
            SELECT "we;ird" FROM t; -- a comment; with a semicolon
            /* block; /* nested; */ still comment; */ SELECT 2;
            """
        let statements = self.split(sql)
        #expect(statements.count == 3)
        #expect(statements[0] == "INSERT INTO t VALUES ('a;b', 'it''s; fine', E'back\\';slash')")
        #expect(statements[1] == "SELECT \"we;ird\" FROM t")
        #expect(statements[2].hasSuffix("SELECT 2"))
    }

    @Test func keepsDollarQuotedBodiesWhole() {
        let sql = """
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN PERFORM 1; RETURN 1; END $$;
            CREATE FUNCTION g() RETURNS text LANGUAGE sql AS $body$ SELECT 'x;$$;y' $body$;
            SELECT $1::int;
            """
        let statements = self.split(sql)
        #expect(statements.count == 3)
        #expect(statements[0].hasSuffix("END $$"))
        #expect(statements[1].hasSuffix("$body$"))
        #expect(statements[2] == "SELECT $1::int")
    }

    @Test func keepsBeginAtomicBodiesWhole() {
        let sql = """
            CREATE OR REPLACE FUNCTION h(x int) RETURNS int LANGUAGE sql
            BEGIN ATOMIC
              SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;
              SELECT 2;
            END;
            CREATE TABLE after_function (id int);
            """
        let statements = self.split(sql)
        #expect(statements.count == 2)
        #expect(statements[0].hasSuffix("END"))
        #expect(statements[1] == "CREATE TABLE after_function (id int)")
    }

    @Test func transactionBlocksOutsideRoutinesStillSplit() {
        #expect(self.split("BEGIN; SELECT 1; END;").count == 3)
    }

    @Test func semicolonsInsideParenthesesDoNotSplit() {
        let sql = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); SELECT 3;"
        #expect(self.split(sql) == [
            "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))",
            "SELECT 3",
        ])
    }

    @Test func backslashEscapesOnlyInEStrings() {
        // A plain string ends at the quote after the backslash; an E string does not.
        #expect(self.split(#"SELECT 'a\'; SELECT 2"#) == [#"SELECT 'a\'"#, "SELECT 2"])
        #expect(self.split(#"SELECT e'a\';b'; SELECT 2"#) == [#"SELECT e'a\';b'"#, "SELECT 2"])
        // An identifier ending in E is no escape-string prefix.
        #expect(self.split(#"SELECT name'a\'; SELECT 2"#).count == 2)
    }

    @Test func doubledQuotesInIdentifiersAndDollarsInsideIdentifiers() {
        #expect(self.split(#"SELECT "a"";b" FROM t; SELECT 2"#) == [#"SELECT "a"";b" FROM t"#, "SELECT 2"])
        // `$` inside or right after a word opens no dollar quote, so the `;` still ends the statement.
        #expect(self.split("SELECT a$b$ FROM t; SELECT 2") == ["SELECT a$b$ FROM t", "SELECT 2"])
        #expect(self.split("SELECT 1$x$; SELECT 2") == ["SELECT 1$x$", "SELECT 2"])
    }

    @Test func procedureBodiesAreRoutineBodiesToo() {
        let sql = """
            CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); END;
            CALL p();
            """
        #expect(self.split(sql) == [
            "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); END",
            "CALL p()",
        ])
    }

    @Test func unterminatedConstructsRunToTheEnd() {
        #expect(self.split("SELECT 'open; SELECT 2") == ["SELECT 'open; SELECT 2"])
        #expect(self.split("SELECT $x$ open; SELECT 2") == ["SELECT $x$ open; SELECT 2"])
        #expect(self.split("SELECT 1 /* open; SELECT 2") == ["SELECT 1 /* open; SELECT 2"])
    }

    @Test func reportsTheLineEachStatementStartsOn() {
        let lines = SQLScript("-- header\n\nSELECT 1;\nSELECT\n  2;\n\n  SELECT 3;").statements.map(\.line)
        #expect(lines == [1, 4, 7])
    }
}
