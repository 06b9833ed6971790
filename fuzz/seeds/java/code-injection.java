package com.example.calc;

import javax.script.Bindings;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.servlet.http.HttpServletRequest;
import groovy.lang.GroovyShell;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

public class Calculator {
    private final ExpressionParser parser = new SpelExpressionParser();

    public Object compute(HttpServletRequest request) throws ScriptException {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("javascript");
        String formula = request.getParameter("formula");
        engine.eval("total = " + formula); // expect: java/code-injection@v1.0

        Bindings vars = engine.createBindings();
        vars.put("formula", formula);
        engine.eval("total = Number(formula)", vars); // ok: java/code-injection@v1.0

        engine.eval("total = " + Double.parseDouble(request.getParameter("n"))); // ok: java/code-injection@v1.0
        new GroovyShell().evaluate(request.getHeader("X-Script")); // expect: java/code-injection@v1.0

        String script = "1 + 1";
        if (formula == null && false) {
            script = formula;
        }
        return engine.eval(script); // ok: java/code-injection@v1.0
    }

    @GetMapping("/eval")
    public Object eval(@RequestParam String expr) {
        return parser.parseExpression(expr).getValue(); // expect: java/code-injection@v1.0
    }

    @GetMapping("/price")
    public Object price(@RequestParam String currency) {
        if ("EUR".equals(currency)) {
            return parser.parseExpression("price * 0.9" + currency.length()).getValue(); // ok: java/code-injection@v1.0
        }
        return parser.parseExpression("price").getValue(); // ok: java/code-injection@v1.0
    }

    @org.springframework.web.bind.annotation.PostMapping("/rule")
    public Object rule(@org.springframework.web.bind.annotation.RequestBody String rule) {
        return new SpelExpressionParser().parseExpression(rule).getValue(); // expect: java/code-injection@v1.0
    }

    public static void main(String[] args) throws ScriptException {
        new ScriptEngineManager().getEngineByName("groovy").eval(args[0]); // expect: java/code-injection@v1.0
    }
}
