export const Home = () => {
  return (
    <div className="text-center mt-5">
      <h1 className="display-4">Paws &amp; Friends 🐾</h1>
      <p className="lead">Find a new friend. Log in to see the pets waiting for you.</p>
    </div>
  );
};
