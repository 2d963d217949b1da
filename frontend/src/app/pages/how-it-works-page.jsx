// /how-it-works: the lesson's five steps, each tied to what this browser just did (when you are
// logged in) and to the file and function that does it, then what the lesson gets wrong and what
// it leaves out. Each section lives in features/how-it-works/. Loaded on demand (React.lazy).
import { useAuth } from "../../features/auth/auth-provider.jsx";
import { ExchangeSource } from "../../features/how-it-works/exchange-source.jsx";
import { GradeYourOwn } from "../../features/how-it-works/grade-your-own.jsx";
import { LessonMistakes } from "../../features/how-it-works/lesson-mistakes.jsx";
import { LessonSteps } from "../../features/how-it-works/lesson-steps.jsx";
import { RefreshRotation } from "../../features/how-it-works/refresh-rotation.jsx";
import { RoleClaim } from "../../features/how-it-works/role-claim.jsx";
import { SigningKeys } from "../../features/how-it-works/signing-keys.jsx";
import { TokenTypesCompared } from "../../features/how-it-works/token-types.jsx";
import { useExchange } from "../../features/how-it-works/use-exchange.js";
import { WhatTheLessonLeavesOut } from "../../features/how-it-works/what-the-lesson-leaves-out.jsx";

/** /how-it-works: the lesson, walked with this browser's own requests. */
export function HowItWorksPage() {
  const { status, user } = useAuth();
  const exchange = useExchange({ status, user });

  return (
    <article className="how">
      <h1>How it works</h1>
      <p className="lead">
        The lesson splits logging in into five steps. Here they are, each with
        the request or response (the headers that matter here, tokens shortened)
        and the code in this app that does it.
      </p>
      <ExchangeSource exchange={exchange} />
      <LessonSteps exchange={exchange} />
      <TokenTypesCompared />
      <LessonMistakes />
      <WhatTheLessonLeavesOut exchange={exchange} />
      <RefreshRotation />
      <RoleClaim exchange={exchange} />
      <SigningKeys exchange={exchange} />
      <GradeYourOwn />
    </article>
  );
}
