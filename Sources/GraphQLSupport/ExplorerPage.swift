/// A small, dependency-free GraphQL explorer: a query box, variables, an optional token, and the
/// response. No CDN assets, so it works on machines without internet access.
enum ExplorerPage {
    static func html(title: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(title)</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:0;display:grid;grid-template-columns:1fr 1fr;height:100vh}
        section{display:flex;flex-direction:column;padding:12px;gap:8px;min-height:0}
        textarea,pre{font-family:ui-monospace,monospace;font-size:13px;border:1px solid #ccc;border-radius:4px;padding:8px;margin:0}
        textarea{resize:none}#query{flex:3}#variables{flex:1}pre{flex:1;overflow:auto;background:#f7f7f7}
        header{display:flex;gap:8px;align-items:center}input{flex:1;padding:6px}button{padding:6px 16px}
        </style></head><body>
        <section>
          <header><strong>\(title)</strong><input id="token" placeholder="Bearer token (optional)"><button id="run">Run ▶</button></header>
          <textarea id="query" spellcheck="false">query Products {
          products(first: 5) {
            edges { node { id title slug price { amount currency formatted } } }
            pageInfo { hasNextPage endCursor }
          }
        }</textarea>
          <textarea id="variables" spellcheck="false" placeholder="Variables (JSON)">{}</textarea>
        </section>
        <section><pre id="result">Press Run (Ctrl+Enter).</pre></section>
        <script>
        async function run(){
          const out=document.getElementById('result');let variables={};
          try{variables=JSON.parse(document.getElementById('variables').value||'{}')}catch(e){out.textContent='Variables are not valid JSON: '+e;return}
          const headers={'content-type':'application/json','accept':'application/graphql-response+json, application/json'};
          const token=document.getElementById('token').value.trim();if(token)headers.authorization='Bearer '+token.replace(/^Bearer\\s+/i,'');
          const started=performance.now();
          const res=await fetch(location.pathname,{method:'POST',headers,body:JSON.stringify({query:document.getElementById('query').value,variables})});
          const text=await res.text();let shown=text;try{shown=JSON.stringify(JSON.parse(text),null,2)}catch(e){}
          out.textContent='HTTP '+res.status+' in '+Math.round(performance.now()-started)+' ms\\n\\n'+shown;
        }
        document.getElementById('run').onclick=run;
        document.addEventListener('keydown',e=>{if(e.ctrlKey&&e.key==='Enter')run()});
        </script></body></html>
        """
    }
}
