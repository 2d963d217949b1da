export const Home = () => {
  return (
    <div className="text-center mt-5">
      <h1 className="display-4">Welcome!</h1>
      <p className="lead">Log in to see your private page.</p>
    </div>
  );
};
