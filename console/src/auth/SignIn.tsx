// Asked for when the API answers 401 (LEDGER_TOKENS is set): the token is kept for this browser
// tab only (sessionStorage) and sent to /v1 as `Authorization: Bearer …`.
import { useState } from "react";
import { signIn, useToken } from "./token.ts";

export function SignIn() {
  const { token } = useToken();
  const [value, setValue] = useState("");
  return (
    <section className="card sign-in" aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">This ledger asks for an access token</h1>
      <p>
        {token === null
          ? "Enter the token you were given. The console keeps it for this browser tab only and sends it with every read."
          : "That token was not accepted. Check it and enter it again."}
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (value.trim() !== "") signIn(value.trim());
        }}
      >
        <label htmlFor="token-input">Access token</label>
        <input id="token-input" type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} />
        <button type="submit">Sign in</button>
      </form>
    </section>
  );
}
